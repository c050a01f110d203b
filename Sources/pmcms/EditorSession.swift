import Foundation
import PMCMS

/// The interactive edit: front matter and body in `$VISUAL`/`$EDITOR`, checked on save, the
/// editor reopened on an error, and the user's text kept in a recovery file on every abort.
struct EditorSession {
    let store: ContentStore
    let author: String

    /// The editor command, as git chooses it.
    static var editorCommand: String {
        ProcessEnvironment.nonEmpty("VISUAL") ?? ProcessEnvironment.nonEmpty("EDITOR") ?? "vi"
    }

    static var editorConfigured: Bool {
        ProcessEnvironment.nonEmpty("VISUAL") != nil || ProcessEnvironment.nonEmpty("EDITOR") != nil
    }

    /// Edits the entry `ref` (or resumes from `recoverFile`) and applies the result as one
    /// revision, refusing it (exit 3) if another revision landed meanwhile.
    func edit(ref: String, message: String?, recoverFile: String?) throws {
        let entry = try store.entry(ref)
        if let recoverFile {
            try resume(entry, message: message, recoverFile: recoverFile)
            return
        }
        let pristine = try Self.document(
            content: entry.content, related: Self.refs(entry.related), articles: Self.refs(entry.articles),
            notes: Self.notes(for: entry), message: message)
        let outcome = try run(
            initial: pristine, pristine: pristine, slug: entry.slug, base: entry.header.head, current: entry.content,
            kind: entry.kind, existing: entry.related + entry.articles)
        guard case .saved(let text, let content, let typed, let file) = outcome else {
            if case .noChange(let reason) = outcome { throw CLIError(message: "aborted: \(reason); nothing written") }
            return
        }
        try write(content, to: entry, base: entry.header.head, text: text, message: Self.chosenMessage(typed: typed, given: message), editorFile: file)
    }

    /// Resumes an edit from a recovery file: the person's changes (their text against the
    /// revision it was made from) are applied to the entry as it is now, so that nothing anyone
    /// else changed meanwhile is reverted. Overlapping changes open the editor with both
    /// versions on a terminal; elsewhere they exit 3 with both, and nothing is written.
    private func resume(_ entry: EntryView, message: String?, recoverFile: String) throws {
        let recovery = try Recovery.read(recoverFile)
        guard let base = recovery.base else {
            throw CLIError(message: """
                \(recoverFile) does not say which revision it was made from, so your changes cannot be told \
                apart from older text: nothing written. Compare it with `pmcms show \(entry.slug)` and apply it with \
                `pmcms edit \(entry.slug) --body-file FILE`
                """)
        }
        let head = entry.header.head
        guard base <= head else {
            throw CLIError(message: "\(recoverFile) was made from r\(base), but '\(entry.slug)' has only \(head) revisions: is it another entry's file?")
        }
        let message = message ?? recovery.message
        let original = try store.entry(String(entry.id), at: .number(base))
        let baseLinks = original.related + original.articles
        // What the person meant: their text read against the revision they started from.
        var ours: Content
        do {
            ours = try apply(FrontMatter.parse(recovery.text), to: original.content, kind: entry.kind, existing: baseLinks)
        } catch let error as FrontMatter.ParseError {
            ours = try fixFirst(recovery.text, error: error.message, entry: original, message: message)
        } catch let error as StoreError {
            ours = try fixFirst(recovery.text, error: ErrorText.message(error), entry: original, message: message)
        }
        let label = "r\(head) (current)"
        let merge = Merge3.content(base: original.content, ours: ours, theirs: entry.content, theirsLabel: label)
        if merge.conflicts.isEmpty && merge.content.normalized() == entry.content.normalized() {
            try? FileManager.default.removeItem(atPath: recoverFile)
            print("\(entry.slug): no change; your changes are already in r\(head) (removed \(recoverFile))")
            return
        }
        if !merge.conflicts.isEmpty && !Terminal.stdinIsTerminal {
            print(Self.conflictReport(merge, theirs: "r\(head)"))
            throw CLIError.stale("""
                your text in \(recoverFile) (made from r\(base)) and r\(head) change the same \
                \(merge.conflicts.map(\.field).joined(separator: ", ")): nothing written, the file is kept.
                  compare: pmcms diff \(entry.slug) \(base) \(head)
                  resolve: run `pmcms edit \(entry.slug) --recover \(recoverFile)` on a terminal, where the editor shows both
                """)
        }
        var notes = Self.notes(for: entry)
        notes.append(base == head
            ? "resumed from \(recoverFile)"
            : "resumed from \(recoverFile): your changes since r\(base), applied to r\(head)")
        var errors: [String] = []
        for conflict in merge.conflicts {
            if conflict.field == "body" {
                errors.append("conflict in the body: yours and r\(head)'s are between the \(Merge3.oursMarker) and \(Merge3.theirsMarker("…")) lines; keep what you want and delete the marker lines")
            } else {
                errors.append("conflict in \(conflict.field): yours is below; r\(head) has \(conflict.theirs) — keep one and save")
            }
        }
        let text = try Self.document(
            content: merge.content, related: merge.content.related.map(\.editingRef), articles: merge.content.articles.map(\.editingRef),
            notes: notes, errors: errors, message: message)
        let outcome = try run(
            initial: text, pristine: nil, slug: entry.slug, base: head, current: entry.content, kind: entry.kind,
            existing: entry.related + entry.articles, refuseConflictMarkers: merge.conflicts.contains { $0.field == "body" })
        guard case .saved(let saved, let content, let typed, let file) = outcome else {
            if case .noChange(let reason) = outcome {
                try? FileManager.default.removeItem(atPath: recoverFile)
                print("\(entry.slug): no change (\(reason)); nothing written (removed \(recoverFile))")
            }
            return
        }
        try write(content, to: entry, base: head, text: saved, message: Self.chosenMessage(typed: typed, given: message), editorFile: file, replacing: recoverFile)
    }

    /// A recovery file whose text does not read (it was kept after an error): the person fixes
    /// it first, against the revision it was made from.
    private func fixFirst(_ text: String, error: String, entry original: EntryView, message: String?) throws -> Content {
        let shown = Self.withError(text, error)
        let outcome = try run(
            initial: shown, pristine: nil, slug: original.slug, base: original.revision, current: original.content,
            kind: original.kind, existing: original.related + original.articles)
        switch outcome {
        case .saved(_, let content, _, let file):
            try? FileManager.default.removeItem(at: file)
            return content
        case .noChange(let reason):
            throw CLIError(message: "aborted: \(reason); nothing written")
        }
    }

    /// Writes the edited content as one revision made from `base`; the editor's file is removed
    /// only once its text is in the store or in a recovery file.
    private func write(
        _ content: Content, to entry: EntryView, base: Int, text: String, message: String?, editorFile: URL, replacing recoverFile: String? = nil
    ) throws {
        let result: ChangeResult
        do {
            result = try store.edit(String(entry.id), author: author, message: message, expectRevision: base) { $0 = content }
        } catch StoreError.staleRevision(let slug, let expected, let actual) {
            let saved = try keep(text, slug: slug, base: expected, message: message, editorFile: editorFile)
            if let recoverFile, recoverFile != saved { try? FileManager.default.removeItem(atPath: recoverFile) }
            throw CLIError.stale("""
                '\(slug)' changed while you were editing: you started from r\(expected), it is now r\(actual). Nothing was overwritten.
                  your text: \(saved)
                  compare:   pmcms diff \(slug) \(expected) \(actual)
                  retry:     pmcms edit \(slug) --recover \(saved)
                """)
        } catch {
            let saved = try keep(text, slug: entry.slug, base: base, message: message, editorFile: editorFile)
            throw CLIError(message: "\(Self.describe(error)): nothing written. Your text is in \(saved); resume with `pmcms edit \(entry.slug) --recover \(saved)`")
        }
        try? FileManager.default.removeItem(at: editorFile)
        if let recoverFile { try? FileManager.default.removeItem(atPath: recoverFile) }
        if let revision = result.revision {
            print(RevisionSummary.line(result, revision: revision, before: entry.content.status))
            if let note = RevisionSummary.scheduleNote(slug: result.header.slug, before: entry.content.schedule) { Terminal.warn(note) }
        } else {
            print("\(entry.slug): no change; nothing written")
        }
    }

    /// Keeps `text` in a recovery file, then removes the editor's file; if no recovery file
    /// can be written, the editor's file stays and the error says where it is.
    private func keep(_ text: String, slug: String, base: Int?, message: String?, editorFile: URL) throws -> String {
        do {
            let saved = try Self.saveRecovery(text, slug: slug, storePath: store.path, base: base, message: message)
            try? FileManager.default.removeItem(at: editorFile)
            return saved
        } catch let error as CLIError {
            throw CLIError(message: "\(error.message). Your text is still in \(editorFile.path): copy it somewhere safe", code: error.code)
        }
    }

    /// The message typed on the message line, unless it is the given one as the line shows it
    /// (a message of several lines is shown on one).
    static func chosenMessage(typed: String?, given: String?) -> String? {
        guard let typed else { return given }
        if let given, FrontMatter.oneLine(given).trimmingCharacters(in: .whitespaces) == typed { return given }
        return typed
    }

    static func describe(_ error: any Error) -> String {
        if error is StoreError || error is CLIError { return ErrorText.message(error) }
        return error.localizedDescription
    }

    /// Both sides of every conflict, for a resume that cannot open the editor.
    static func conflictReport(_ merge: Merge3.ContentResult, theirs: String) -> String {
        var lines: [String] = []
        for conflict in merge.conflicts where conflict.field != "body" {
            lines.append("\(conflict.field):")
            lines.append("  yours: \(conflict.ours)")
            lines.append("  \(theirs): \(conflict.theirs)")
        }
        if merge.conflicts.contains(where: { $0.field == "body" }) {
            lines.append("body (yours and \(theirs) between the markers):")
            lines.append(merge.content.body)
        }
        return lines.joined(separator: "\n")
    }

    /// Writes a new entry of `kind` through the editor; returns its content. Aborting throws.
    func compose(kind: Kind, title: String?) throws -> Content {
        let template = Content(status: .draft, title: title ?? "")
        let notes = ["new \(kind.rawValue): fill in the title and write the body below the second ---",
                     "save and quit to create it as a draft; empty the file or quit without saving to abort"]
        let pristine = try FrontMatter.compose(content: template, related: [], articles: [], notes: notes)
        let outcome = try run(
            initial: pristine, pristine: pristine, slug: "new-\(kind.rawValue)", base: nil, current: template, kind: kind, existing: [])
        switch outcome {
        case .saved(_, var content, _, let file):
            try? FileManager.default.removeItem(at: file)
            if content.editedAt == nil { content.editedAt = Timestamp.day(Timestamp.now()) }
            return content
        case .noChange(let reason):
            throw CLIError(message: "aborted: \(reason); no entry created")
        }
    }

    private enum RunOutcome {
        /// The saved text, its content, the message typed on the message line, and the
        /// editor's file, which the caller removes once the text is safe.
        case saved(String, Content, String?, URL)
        case noChange(String)
    }

    /// The loop: show the text, wait for the editor, read it back, reopen with the error on top.
    /// The editor's file is kept when its text could not be put anywhere safer.
    private func run(
        initial: String, pristine: String?, slug: String, base: Int?, current: Content, kind: Kind, existing: [ResolvedLink],
        refuseConflictMarkers: Bool = false
    ) throws -> RunOutcome {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-\(slug)-\(getpid()).md")
        var keepFile = false
        defer { if !keepFile { try? FileManager.default.removeItem(at: file) } }
        /// Moves the text to a recovery file; on failure the editor's file stays where it is.
        func rescue(_ text: String) throws -> String {
            keepFile = true
            let path = try keep(text, slug: slug, base: base, message: FrontMatter.message(in: text), editorFile: file)
            return path
        }
        var shown = initial
        var lastError: String?
        while true {
            try shown.write(to: file, atomically: true, encoding: .utf8)
            let status = try Self.runEditor(on: file.path)
            let saved = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            let changed = FrontMatter.strippingNotes(saved) != FrontMatter.strippingNotes(pristine ?? "")
            if status != 0 {
                if changed && !saved.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    let path = try rescue(saved)
                    throw CLIError(message: "the editor exited with status \(status): nothing written. Your text is in \(path); resume with `pmcms edit \(slug) --recover \(path)`")
                }
                throw CLIError(message: "the editor exited with status \(status): nothing written")
            }
            if saved.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .noChange("the file was emptied") }
            if !changed { return .noChange("the file was saved unchanged") }
            if lastError != nil && saved == shown {
                let path = try rescue(saved)
                throw CLIError(message: "the file still has an error (\(lastError ?? "")) and was not changed: nothing written. Your text is in \(path); resume with `pmcms edit \(slug) --recover \(path)`")
            }
            do {
                let document = try FrontMatter.parse(saved)
                if refuseConflictMarkers, Self.hasConflictMarkers(document.body) {
                    throw FrontMatter.ParseError(message: "the body still has conflict markers (\(Merge3.oursMarker), \(Merge3.theirsMarker("…"))): keep one version and delete the marker lines")
                }
                let content = try apply(document, to: current, kind: kind, existing: existing)
                if content == current { return .noChange("the content is the same") }
                keepFile = true
                return .saved(saved, content, FrontMatter.message(in: saved), file)
            } catch let error as FrontMatter.ParseError {
                // Line numbers count the reopened file: its old error lines go, two new ones come.
                let oldErrors = saved.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix(FrontMatter.errorPrefix) }.count
                lastError = error.shifted(by: Self.errorLineCount - oldErrors).message
            } catch let error as StoreError {
                lastError = ErrorText.message(error)
            }
            Terminal.warn("pmcms: error: \(lastError ?? ""); reopening the editor")
            shown = Self.withError(saved, lastError ?? "")
        }
    }

    static func hasConflictMarkers(_ body: String) -> Bool {
        body.split(separator: "\n").contains { $0.hasPrefix(Merge3.oursMarker) || $0.hasPrefix(Merge3.theirsMarker("r")) }
    }

    /// Applies a parsed document to the current content; link refs are matched against the
    /// entry's existing links first, so unresolved links keep their titles and URLs.
    private func apply(_ document: FrontMatter.Document, to current: Content, kind: Kind, existing: [ResolvedLink]) throws -> Content {
        var next = current
        for (field, value) in document.scalars { try next.set(field, to: value ?? "") }
        // The editor shows each link as its `editingRef`; the store maps those back to the links
        // as stored, so that an untouched link stays exactly as it was.
        func links(_ refs: [String]) throws -> [LinkRef] {
            let (links, warnings) = try store.editedLinks(refs, stored: current.related + current.articles, shown: existing)
            warnings.forEach { Terminal.warn("pmcms: warning: \($0)") }
            return links
        }
        if let related = document.related { next.related = try links(related) }
        if let articles = document.articles { next.articles = try links(articles) }
        // Blank lines after the closing --- are layout; trailing ones go with the store's own
        // normal form, so an editor adding or dropping the final newline is not a change.
        next.body = String(document.body.drop { $0 == "\n" || $0 == "\r" })
        next = next.normalized()
        try next.validate(kind: kind)
        return next
    }

    static func refs(_ links: [ResolvedLink]) -> [String] { links.map(\.editingRef) }

    static func notes(for entry: EntryView) -> [String] {
        let live = entry.header.live.map { "r\($0)" } ?? "none"
        return [
            "editing \(entry.kind.rawValue) '\(entry.slug)' (id \(entry.id)) · status \(entry.content.status.rawValue) · live \(live) · latest r\(entry.header.head)",
            "save and quit to make a new revision; empty the file or quit without saving to abort",
            "type the revision's message on the '# message:' line (it stays a comment)",
            "related and articles: one slug or URL per '- ' line; the body goes below the second ---",
        ]
    }

    static func withNotes(_ text: String, notes: [String]) -> String {
        insertAfterOpening(text, lines: notes.map { "\(FrontMatter.notePrefix) \($0)" })
    }

    /// How many lines `withError` puts on top.
    static let errorLineCount = 2

    static func withError(_ text: String, _ error: String) -> String {
        let cleaned = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix(FrontMatter.errorPrefix) }.joined(separator: "\n")
        return insertAfterOpening(cleaned, lines: ["\(FrontMatter.errorPrefix) \(error)", "\(FrontMatter.errorPrefix) fix it and save again; empty the file to abort"])
    }

    private static func insertAfterOpening(_ text: String, lines: [String]) -> String {
        var all = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let open = all.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) {
            all.insert(contentsOf: lines, at: open + 1)
        } else {
            all.insert(contentsOf: lines.map { $0 }, at: 0)
        }
        return all.joined(separator: "\n")
    }

    /// Runs the editor through the shell as git does, so `EDITOR="code --wait"` works. It is
    /// spawned directly rather than through Foundation's Process, which would put it in its
    /// own process group, where a terminal editor cannot read the terminal.
    static func runEditor(on path: String) throws -> Int32 {
        let arguments = ["/bin/sh", "-c", "\(editorCommand) \"$@\"", editorCommand, path]
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        // Like git, leave Ctrl-C to the editor while it runs.
        let previousInterrupt = signal(SIGINT, SIG_IGN)
        let previousQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, previousInterrupt)
            signal(SIGQUIT, previousQuit)
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw CLIError(message: "could not start the editor '\(editorCommand)': \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw CLIError(message: "lost track of the editor: \(String(cString: strerror(errno)))") }
        }
        let signalNumber = status & 0x7f
        return signalNumber == 0 ? (status >> 8) & 0xff : 128 + signalNumber
    }

    /// The text the editor shows: notes, then the message line, then front matter and body.
    static func document(content: Content, related: [String], articles: [String], notes: [String], errors: [String] = [], message: String?) throws -> String {
        try FrontMatter.compose(content: content, related: related, articles: articles, notes: notes, errors: errors, message: message ?? "")
    }

    /// Where recovery files go, in order: beside the store (a file; a PostgreSQL store has no
    /// folder of its own on this machine), then `$XDG_STATE_HOME/pmcms/recovery`,
    /// `~/.local/state/pmcms/recovery`, and the temporary folder.
    static func recoveryFolders(storePath: String) -> [URL] {
        var folders: [URL] = []
        if !StoreAddress.isPostgres(storePath) {
            folders.append(URL(fileURLWithPath: storePath).deletingLastPathComponent().appendingPathComponent(".pmcms-recovery"))
        }
        if let state = ProcessEnvironment.nonEmpty("XDG_STATE_HOME"), state.hasPrefix("/") {
            folders.append(URL(fileURLWithPath: state).appendingPathComponent("pmcms/recovery"))
        }
        if let home = ProcessEnvironment.nonEmpty("HOME") {
            folders.append(URL(fileURLWithPath: home).appendingPathComponent(".local/state/pmcms/recovery"))
        }
        folders.append(FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-recovery-\(getuid())"))
        return folders
    }

    /// Keeps `text` in a recovery file, with the revision it was made from and its message, in
    /// the first folder that takes it; returns its path. Throws only when none does.
    static func saveRecovery(_ text: String, slug: String, storePath: String, base: Int?, message: String?) throws -> String {
        let contents = Recovery.compose(text, base: base, message: message)
        let stamp = Timestamp.format(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        var failures: [String] = []
        for folder in recoveryFolders(storePath: storePath) {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                var url = folder.appendingPathComponent("\(slug)-\(stamp).md")
                var n = 2
                while FileManager.default.fileExists(atPath: url.path) {
                    url = folder.appendingPathComponent("\(slug)-\(stamp)-\(n).md")
                    n += 1
                }
                // Written in place, not through a temporary file and a rename: a folder we may
                // not write in is found out here, and the text is never half in two places.
                guard FileManager.default.createFile(atPath: url.path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600]),
                      FileManager.default.contents(atPath: url.path) == Data(contents.utf8)
                else {
                    failures.append("\(folder.path): \(String(cString: strerror(errno)))")
                    continue
                }
                if !failures.isEmpty {
                    Terminal.warn("pmcms: warning: could not keep your text in \(failures.joined(separator: "; ")); kept it in \(folder.path) instead")
                }
                return url.path
            } catch {
                let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { ($0 as? NSError)?.localizedDescription ?? "" } ?? error.localizedDescription
                failures.append("\(folder.path): \(reason)")
            }
        }
        throw CLIError(message: "could not write a recovery file anywhere (\(failures.joined(separator: "; ")))")
    }
}

/// A recovery file: the editor's text as it was saved, which names the revision it was made
/// from (the `latest rN` of pmcms's note on top), so that resuming applies the person's changes
/// to the entry as it is now.
struct Recovery {
    static let basePrefix = "\(FrontMatter.notePrefix) recovered edit, made from r"
    static let editingPrefix = "\(FrontMatter.notePrefix) editing "

    var text: String
    var base: Int?
    var message: String?

    /// The file's contents: the text exactly as saved when it names its base revision (the
    /// editor's note does); otherwise with a note naming it after the opening `---`.
    static func compose(_ text: String, base: Int?, message: String?) -> String {
        guard let base, baseRevision(in: text) != base else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let note = "\(basePrefix)\(base); resume it with pmcms edit --recover"
        let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }).map { $0 + 1 } ?? 0
        lines.insert(note, at: open)
        if FrontMatter.message(in: text) == nil, let message, !message.isEmpty {
            lines.insert("\(FrontMatter.messagePrefix) \(FrontMatter.oneLine(message))", at: open + 1)
        }
        return lines.joined(separator: "\n")
    }

    /// The revision a saved text was made from: pmcms's own recovery note, else the editor's
    /// note (`… · latest r4`).
    static func baseRevision(in text: String) -> Int? {
        func number(after marker: String, in line: Substring) -> Int? {
            guard let range = line.range(of: marker, options: .backwards) else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isASCII && $0.isNumber })
        }
        var fromEditor: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix(basePrefix) { return number(after: basePrefix, in: line) }
            if line.hasPrefix(editingPrefix), fromEditor == nil { fromEditor = number(after: "· latest r", in: line) }
        }
        return fromEditor
    }

    static func read(_ path: String) throws -> Recovery {
        guard let data = FileManager.default.contents(atPath: path), let contents = String(data: data, encoding: .utf8) else {
            throw CLIError(message: "cannot read recovery file \(path)")
        }
        return Recovery(text: FrontMatter.strippingNotes(contents), base: baseRevision(in: contents), message: FrontMatter.message(in: contents))
    }
}
