import Foundation
import Testing
@testable import PMCMS

@Suite("Blame")
struct BlameTests {
    /// (line text, revision) pairs, which is what a reader of blame checks.
    static func attributions(_ blame: Blame) -> [String] {
        blame.lines.map { "r\($0.by.revision) \($0.text)" }
    }

    @Test func editsKeepTheRevisionThatIntroducedEachLine() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        try f.create("Q", body: "A\nB\nC\n", author: "ann", at: "2026-11-01T10:00:00Z")
        try f.append("q", author: "bob", at: "2026-11-02T10:00:00Z") { $0.body = "A\nB2\nC\n" }
        try f.append("q", author: "cat", at: "2026-11-03T10:00:00Z") { $0.body = "A\nB2\nC\nD" }
        try f.append("q", origin: .workflow, author: "dan", at: "2026-11-04T10:00:00Z") { $0.status = .inReview }
        try f.append("q", author: "eve", at: "2026-11-05T10:00:00Z") { $0.title = "Q2" }
        let blame = try f.store.blame("q")
        #expect(blame.revision == 5)
        #expect(Self.attributions(blame) == ["r1 A", "r2 B2", "r1 C", "r3 D"])
        #expect(blame.lines[1].by.author == "bob" && blame.lines[1].by.createdAt == "2026-11-02T10:00:00Z")
        let fields = Dictionary(uniqueKeysWithValues: blame.fields.map { ($0.field, $0.by.revision) })
        #expect(fields[.title] == 5)
        #expect(fields[.status] == 4)
        #expect(fields[.body] == 3)
        #expect(fields[.summary] == 1)
        #expect(blame.fields.first { $0.field == .title }?.value == "Q2")
    }

    @Test func aRevertIsAttributedToTheRevertAsGitDoes() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        try f.create("Q", body: "A\nB\nC\n", origin: .import, author: "importer", at: "2026-11-01T10:00:00Z")
        try f.append("q", author: "bob", at: "2026-11-02T10:00:00Z") { $0.body = "A\nX\nC\n" }
        try f.append("q", author: "cat", at: "2026-11-03T10:00:00Z") { $0.body = "A\nX\nY\n" }
        let revert = try f.store.revert("q", to: 1, author: "dan")
        #expect(revert.revision == 4)
        let blame = try f.store.blame("q")
        // A was never touched: still the import. B and C came back with the revert.
        #expect(Self.attributions(blame) == ["r1 A", "r4 B", "r4 C"])
        #expect(blame.lines[0].by.origin == .import && blame.lines[0].by.author == "importer")
        #expect(blame.lines[1].by.origin == .revert && blame.lines[1].by.message == "revert to r1")

        // Reverting the revert brings r3's text back, attributed to the new revert.
        let again = try f.store.revert("q", to: 3, author: "eve", message: "undo the revert")
        #expect(again.revision == 5)
        #expect(try f.store.content("q", revision: 5).body == "A\nX\nY\n")
        #expect(Self.attributions(try f.store.blame("q")) == ["r1 A", "r5 X", "r5 Y"])
        #expect(try f.store.revisions("q").map(\.origin) == [.import, .edit, .edit, .revert, .revert])
    }

    @Test func unmergedUpstreamImportsAreNotBlamed() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        try f.create("Q", body: "A\nB\n", origin: .import, author: "importer", at: "2026-11-01T10:00:00Z")
        try f.append("q", author: "bob", at: "2026-11-02T10:00:00Z") { $0.body = "A\nB edited\n" }
        let upstream = try f.append("q", origin: .import, author: "importer", at: "2026-11-03T10:00:00Z", upstream: true) {
            $0.body = "A from the site\nB\n"
        }
        #expect(upstream == 3)
        #expect(try f.store.header("q").head == 2)
        let (_, line) = try f.store.ancestry("q")
        #expect(line.map(\.info.number) == [1, 2])
        #expect(Self.attributions(try f.store.blame("q")) == ["r1 A", "r2 B edited"])

        // Taking the upstream text with a revert attributes what changed to that revert.
        try f.store.revert("q", to: 3, author: "cat", message: "take the site's version")
        #expect(Self.attributions(try f.store.blame("q")) == ["r4 A from the site", "r4 B"])
    }

    @Test func aFinalNewlineChangesNoLine() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        try f.create("Q", body: "A\nB", at: "2026-11-01T10:00:00Z")
        try f.append("q", at: "2026-11-02T10:00:00Z") { $0.body = "A\nB\nC\n" }
        #expect(Self.attributions(try f.store.blame("q")) == ["r1 A", "r1 B", "r2 C"])
    }

    /// Correctness over a long history; its speed belongs to the benchmark, not to a test.
    @Test func aThousandRevisionsBlameRight() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        let lines = (1...60).map { "Line \($0) of a long answer about project management offices." }
        try f.create("Big", body: lines.joined(separator: "\n") + "\n", at: "2026-01-01T00:00:00Z")
        // One transaction for the 999 appends keeps the setup quick; blame reads them back.
        try f.store.write { db in
            let header = try ContentStore.resolve(db, ref: "big")
            var content = try ContentStore.fetchContent(db, entryID: header.id, number: 1)
            var body = lines
            for n in 2...1000 {
                let parent = content
                body[n % body.count] = "Line \(n % body.count + 1) rewritten in revision \(n)."
                content.body = body.joined(separator: "\n") + "\n"
                if n % 7 == 0 { content.status = content.status == .draft ? .inReview : .draft }
                let current = try ContentStore.requireHeader(db, id: header.id)
                try ContentStore.appendRevision(
                    db, header: current, parentContent: parent, content: content, origin: n % 7 == 0 ? .workflow : .edit,
                    author: "author\(n % 5)", message: nil, upstream: false,
                    now: Timestamp.format(Date(timeIntervalSince1970: 1_767_225_600 + Double(n) * 60)))
            }
        }
        let result = try f.store.blame("big")
        #expect(result.revision == 1000)
        // Line k was last rewritten by the highest revision n ≤ 1000 with n % 60 == k - 1.
        for line in result.lines {
            let k = line.number - 1
            let expected = (2...1000).last { $0 % 60 == k } ?? 1
            #expect(line.by.revision == expected, "line \(line.number)")
        }
    }
}
