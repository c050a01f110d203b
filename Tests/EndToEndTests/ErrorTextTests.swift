import Foundation
import Testing
@testable import PMCMS
@testable import pmcms

/// The command line renders the core's error values into its messages, hints included (the
/// same text the core used to carry), and no string literal in the core names a CLI command or
/// flag any more.
@Suite("Error text")
struct ErrorTextTests {
    @Test("the CLI words a workflow refusal with the next command for each status")
    func workflowRefusal() {
        func text(_ action: WorkflowAction, _ from: Status) -> String {
            ErrorText.message(StoreError.illegalTransition(slug: "q", action: action, from: from))
        }
        #expect(text(.publish, .draft) == "cannot publish 'q': it is draft, and publish needs approved; next: `pmcms submit q`")
        #expect(text(.publish, .inReview) == "cannot publish 'q': it is in_review, and publish needs approved; next: `pmcms approve q` or `pmcms reject q -m WHY`")
        #expect(text(.submit, .approved) == "cannot submit 'q': it is approved, and submit needs draft; next: `pmcms publish q`")
        #expect(text(.submit, .published) == "cannot submit 'q': it is published, and submit needs draft")
        #expect(text(.submit, .archived) == "cannot submit 'q': it is archived, and submit needs draft; bring it back with `pmcms restore q`")
    }

    @Test("the CLI words a stale write with the diff to look at and the revision to retry with")
    func staleWrite() {
        #expect(ErrorText.message(StoreError.staleRevision(slug: "q", expected: 2, actual: 5))
            == "'q' changed since revision 2: it is now at revision 5. Compare with `pmcms diff q 2 5` and retry with --expect-rev 5")
    }

    @Test("the other hints are the command line's")
    func otherHints() {
        #expect(ErrorText.message(StoreError.noStore(path: "s.db")) == "no pmcms store at s.db; create one with `pmcms --db s.db init` (or pass --db / set PMCMS_DB)")
        #expect(ErrorText.message(StoreError.notAStore(path: "s.db", reason: .emptyFile)) == "no pmcms store at s.db: the file is empty; `pmcms --db s.db init` makes a store in it")
        #expect(ErrorText.message(StoreError.notAnAssignment(text: "x")) == "invalid --set: 'x' is not FIELD=VALUE (fields: \(EditableField.allNames))")
        #expect(ErrorText.message(StoreError.noLiveRevision(slug: "q")) == "invalid revision: 'q' has no live revision: it is not published")
        #expect(ErrorText.message(StoreError.notADate(field: "since", text: "x")) == "invalid since: 'x' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
        #expect(ErrorText.message(RevisionNameError.noUpstream(slug: "q")) == "'q' has no upstream import revision: every import was applied (see `pmcms history q`)")
        #expect(ErrorText.message(ScheduleError.notPublished(slug: "q", status: .draft))
            == "cannot set an expiry alone on 'q': it is draft, and --expire without --at needs a published entry; schedule it with `pmcms schedule q --at TIME --expire TIME`; next: `pmcms submit q`")
        #expect(ErrorText.message(ScheduleError.expiryNotAfterPublication(slug: "q", publishAt: "P", expireAt: "E"))
            == "'q' would expire (E) before it is published (P): give an --expire later than --at")
        #expect(ErrorText.message(OutputError.readOnly(path: "f")) == "could not write f: it is read-only; add --force to replace it")
        let conflict = Finding(check: .conflict, severity: .error, slug: "q", message: "m", detail: .importConflict(head: 2, upstream: 3))
        #expect(ErrorText.message(conflict) == "m; compare with `pmcms diff q 2 3`, then keep yours with an edit or take theirs with `pmcms revert q 3`")
    }

    // MARK: The core names no CLI command or flag

    /// The `Sources/PMCMS` folder of this checkout.
    static let coreSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/PMCMS")

    /// The string literals of Swift source `text` (plain, multi-line and raw), comments skipped.
    /// An interpolation stays in its literal's text (what a reader of the message sees), and the
    /// literals inside it are literals of their own.
    static func stringLiterals(_ text: String) -> [String] {
        let s = Array(text.unicodeScalars)
        var literals: [String] = []
        func at(_ k: Int, _ word: String) -> Bool {
            let w = Array(word.unicodeScalars)
            return k + w.count <= s.count && Array(s[k..<k + w.count]) == w
        }
        /// Reads the literal whose opening `#`s or quote are at `start`; returns where it ends.
        func literal(from start: Int) -> Int {
            var k = start
            var hashes = 0
            while k < s.count && s[k] == "#" { hashes += 1; k += 1 }
            let multi = at(k, "\"\"\"")
            let pounds = String(repeating: "#", count: hashes)
            let close = (multi ? "\"\"\"" : "\"") + pounds
            k += multi ? 3 : 1
            var text = String.UnicodeScalarView()
            while k < s.count && !at(k, close) {
                if at(k, "\\" + pounds + "(") {
                    // An interpolation: copied as written, its own literals read recursively.
                    let open = k
                    k += 2 + hashes
                    var depth = 1
                    while k < s.count && depth > 0 {
                        if s[k] == "\"" || (s[k] == "#" && at(k + 1, "\"")) { k = literal(from: k); continue }
                        if s[k] == "(" { depth += 1 }
                        if s[k] == ")" { depth -= 1 }
                        k += 1
                    }
                    text.append(contentsOf: s[open..<min(k, s.count)])
                    continue
                }
                if hashes == 0 && s[k] == "\\" && k + 1 < s.count { text.append(s[k]); k += 1 }
                text.append(s[k])
                k += 1
            }
            literals.append(String(text))
            return k + close.unicodeScalars.count
        }
        var i = 0
        while i < s.count {
            if at(i, "//") {
                while i < s.count && s[i] != "\n" { i += 1 }
            } else if at(i, "/*") {
                i += 2
                while i < s.count && !at(i, "*/") { i += 1 }
                i += 2
            } else if s[i] == "\"" || (s[i] == "#" && (at(i + 1, "\"") || at(i + 1, "#\""))) {
                i = literal(from: i)
            } else {
                i += 1
            }
        }
        return literals
    }

    /// What in `literal` names a command of `pmcms` or a command-line flag.
    static func cliMentions(_ literal: String, commands: [String]) -> [String] {
        var found: [String] = []
        for match in literal.matches(of: #/pmcms ([a-z-]+)/#) where commands.contains(String(match.output.1)) {
            found.append("pmcms \(match.output.1)")
        }
        if literal.contains("`pmcms") { found.append("`pmcms") }
        // A long flag (`--expect-rev`), or a short one standing alone (`-m`), as a word.
        for match in literal.matches(of: #/(?:^|[\s(`'"])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?=$|[\s=`'",);.])/#) {
            found.append(String(match.output.1))
        }
        return found
    }

    static var commandNames: [String] {
        PMCMSCommand.configuration.subcommands.map { $0._commandName } + ["--db"]
    }

    @Test("the scanner finds commands and flags in literals, not in comments or the product's name")
    func scannerFindsWhatItShould() {
        let sample = #"""
            // see `pmcms diff q 1 2` and --expect-rev
            /// `pmcms show` in a doc comment
            let a = "retry with --expect-rev \(actual)"
            let b = "no entry: see `pmcms list`"
            let c = "\(action) needs a message: add -m \"why\""
            let d = """
                compare with pmcms diff \(slug)
                """
            let e = "a value pmcms never writes; 2026-12-01; x-y; e.g. -1"
            let f = #"raw --force"#
            """#
        let literals = Self.stringLiterals(sample)
        #expect(literals.count == 6, "\(literals)")
        let found = literals.map { Self.cliMentions($0, commands: Self.commandNames) }
        #expect(found[0] == ["--expect-rev"])
        #expect(found[1] == ["pmcms list", "`pmcms"])
        #expect(found[2] == ["-m"])
        #expect(found[3] == ["pmcms diff"])
        #expect(found[4] == [], "the product's name, dates and words are not commands")
        #expect(found[5] == ["--force"])
    }

    @Test("no string literal in Sources/PMCMS names a CLI command or flag")
    func coreNamesNoCommand() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.coreSources.path)?.allObjects as? [String])
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 40, "the core's sources were found")
        var literalCount = 0
        var mentions: [String] = []
        for file in files.sorted() {
            let text = try String(contentsOf: Self.coreSources.appendingPathComponent(file), encoding: .utf8)
            for literal in Self.stringLiterals(text) {
                literalCount += 1
                for mention in Self.cliMentions(literal, commands: Self.commandNames) {
                    mentions.append("\(file): \(mention) in \"\(literal.prefix(80))\"")
                }
            }
        }
        #expect(literalCount > 500, "the scan read the core's string literals")
        #expect(mentions.isEmpty, "\(mentions.joined(separator: "\n"))")
    }
}
