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
        let base = entry.header.head
        let notes = Self.notes(for: entry)
        let pristine = try FrontMatter.compose(
            content: entry.content, related: Self.refs(entry.related), articles: Self.refs(entry.articles), notes: notes)
        var start = pristine
        if let recoverFile {
            guard let data = FileManager.default.contents(atPath: recoverFile), let text = String(data: data, encoding: .utf8) else {
                throw CLIError(message: "cannot read recovery file \(recoverFile)")
            }
            start = Self.withNotes(FrontMatter.strippingNotes(text), notes: notes + ["resumed from \(recoverFile)"])
        }
        let outcome = try run(
            initial: start, pristine: recoverFile == nil ? pristine : nil, slug: entry.slug, current: entry.content,
            kind: entry.kind, existing: entry.related + entry.articles)
        let text: String, content: Content
        switch outcome {
        case .noChange(let reason):
            print("\(entry.slug): no change (\(reason)); nothing written")
            return
        case .saved(let saved, let edited):
            (text, content) = (saved, edited)
        }
        do {
            let result = try store.edit(ref, author: author, message: message, expectRevision: base) { $0 = content }
            if let revision = result.revision {
                var line = "\(result.header.slug): r\(revision)"
                if let live = result.header.live, live != revision { line += " (draft; live stays r\(live))" }
                print(line)
            } else {
                print("\(entry.slug): no change; nothing written")
            }
        } catch StoreError.staleRevision(let slug, let expected, let actual) {
            let saved = try Self.saveRecovery(text, slug: slug, storePath: store.path)
            throw CLIError.stale("""
                '\(slug)' changed while you were editing: you started from r\(expected), it is now r\(actual). Nothing was overwritten.
                  your text: \(saved)
                  compare:   pmcms diff \(slug) \(expected) \(actual)
                  retry:     pmcms edit \(slug) --recover \(saved)
                """)
        }
    }

    /// Writes a new entry of `kind` through the editor; returns its content, or nil when aborted.
    func compose(kind: Kind, title: String?) throws -> Content? {
        let template = Content(status: .draft, title: title ?? "")
        let notes = ["new \(kind.rawValue): fill in the title and write the body below the second ---",
                     "save and quit to create it as a draft; empty the file or quit without saving to abort"]
        let pristine = try FrontMatter.compose(content: template, related: [], articles: [], notes: notes)
        let outcome = try run(initial: pristine, pristine: pristine, slug: "new-\(kind.rawValue)", current: template, kind: kind, existing: [])
        switch outcome {
        case .saved(_, var content):
            if content.editedAt == nil { content.editedAt = Timestamp.day(Timestamp.now()) }
            return content
        case .noChange(let reason):
            print("no entry created (\(reason))")
            return nil
        }
    }

    private enum RunOutcome {
        case saved(String, Content)
        case noChange(String)
    }

    /// The loop: show the text, wait for the editor, read it back, reopen with the error on top.
    private func run(initial: String, pristine: String?, slug: String, current: Content, kind: Kind, existing: [ResolvedLink]) throws -> RunOutcome {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-\(slug)-\(getpid()).md")
        defer { try? FileManager.default.removeItem(at: file) }
        var shown = initial
        var lastError: String?
        while true {
            try shown.write(to: file, atomically: true, encoding: .utf8)
            let status = try Self.runEditor(on: file.path)
            let saved = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            let changed = FrontMatter.strippingNotes(saved) != FrontMatter.strippingNotes(pristine ?? "")
            if status != 0 {
                if changed && !saved.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    let path = try Self.saveRecovery(saved, slug: slug, storePath: store.path)
                    throw CLIError(message: "the editor exited with status \(status): nothing written. Your text is in \(path); resume with `pmcms edit \(slug) --recover \(path)`")
                }
                throw CLIError(message: "the editor exited with status \(status): nothing written")
            }
            if saved.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .noChange("the file was emptied") }
            if !changed { return .noChange("the file was saved unchanged") }
            if lastError != nil && saved == shown {
                let path = try Self.saveRecovery(saved, slug: slug, storePath: store.path)
                throw CLIError(message: "the file still has an error (\(lastError ?? "")) and was not changed: nothing written. Your text is in \(path)")
            }
            do {
                let content = try apply(FrontMatter.parse(saved), to: current, kind: kind, existing: existing)
                if content == current { return .noChange("the content is the same") }
                return .saved(saved, content)
            } catch let error as FrontMatter.ParseError {
                lastError = error.message
            } catch let error as StoreError {
                lastError = error.description
            }
            Terminal.warn("pmcms: error: \(lastError ?? ""); reopening the editor")
            shown = Self.withError(saved, lastError ?? "")
        }
    }

    /// Applies a parsed document to the current content; link refs are matched against the
    /// entry's existing links first, so unresolved links keep their titles and URLs.
    private func apply(_ document: FrontMatter.Document, to current: Content, kind: Kind, existing: [ResolvedLink]) throws -> Content {
        var next = current
        for (field, value) in document.scalars { try next.set(field, to: value ?? "") }
        // The editor shows each link as its resolved slug, else its URL; map those back to the
        // links as stored, so that an untouched link stays exactly as it was.
        var known: [String: LinkRef] = [:]
        for (stored, shown) in zip(current.related + current.articles, existing) {
            for key in [shown.slug, shown.url, Self.ref(stored)].compactMap({ $0 }) where known[key] == nil {
                known[key] = stored
            }
        }
        func links(_ refs: [String]) throws -> [LinkRef] {
            var result: [LinkRef] = []
            for ref in refs {
                if let link = known[ref] {
                    result.append(link)
                } else {
                    let (resolved, warnings) = try store.linkRefs([ref])
                    warnings.forEach { Terminal.warn("pmcms: warning: \($0)") }
                    result += resolved
                }
            }
            return result
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

    static func ref(_ link: LinkRef) -> String { link.slug ?? link.url ?? link.title }

    static func refs(_ links: [ResolvedLink]) -> [String] { links.map { $0.slug ?? $0.url ?? $0.title } }

    static func notes(for entry: EntryView) -> [String] {
        let live = entry.header.live.map { "r\($0)" } ?? "none"
        return [
            "editing \(entry.kind.rawValue) '\(entry.slug)' (id \(entry.id)) · status \(entry.content.status.rawValue) · live \(live) · latest r\(entry.header.head)",
            "save and quit to make a new revision; empty the file or quit without saving to abort",
            "related and articles: one slug or URL per '- ' line; the body goes below the second ---",
        ]
    }

    static func withNotes(_ text: String, notes: [String]) -> String {
        insertAfterOpening(text, lines: notes.map { "\(FrontMatter.notePrefix) \($0)" })
    }

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

    /// Keeps `text` in a recovery file beside the store and returns its path.
    static func saveRecovery(_ text: String, slug: String, storePath: String) throws -> String {
        let folder = URL(fileURLWithPath: storePath).deletingLastPathComponent().appendingPathComponent(".pmcms-recovery")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stamp = Timestamp.format(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        var url = folder.appendingPathComponent("\(slug)-\(stamp).md")
        var n = 2
        while FileManager.default.fileExists(atPath: url.path) {
            url = folder.appendingPathComponent("\(slug)-\(stamp)-\(n).md")
            n += 1
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
