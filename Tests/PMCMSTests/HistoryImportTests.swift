import Foundation
import Testing
@testable import PMCMS

/// History, diff and blame over revisions made by the real import, conflict included.
@Suite("History of imported entries")
struct HistoryImportTests {
    static func page(_ body: String) -> PageImport {
        PageImport(entries: [IncomingEntry(
            key: "https://www.example.org/faq/q", kind: .question,
            content: Content(title: "Q?", body: body, sourceURL: "https://www.example.org/faq/q"))])
    }

    @Test func aConflictingReimportIsKeptAsideFromHistoryBlameAndDiff() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        _ = try f.store.importPages([Self.page("Site one.\nSite two.\n")], newStatus: .published, author: "importer")
        try f.store.edit("q", author: "sam", message: "editor's second line") { $0.body = "Site one.\nEditor two.\n" }
        let results = try f.store.importPages([Self.page("Site one, changed.\nSite two.\n")], newStatus: .published, author: "importer")
        #expect(results.first?.outcomes == [.conflict(slug: "q", upstream: 3)])

        let revisions = try f.store.revisions("q")
        #expect(revisions.map(\.origin) == [.import, .edit, .import])
        #expect(revisions.map(\.upstream) == [false, false, true])
        #expect(revisions.map(\.live) == [true, false, false])

        // Blame sees the editor's line of descent only.
        let blame = try f.store.blame("q")
        #expect(blame.revision == 2)
        #expect(blame.lines.map { "r\($0.by.revision) \($0.text)" } == ["r1 Site one.", "r2 Editor two."])

        // What the site changed since the import the editor started from: diff 1 upstream.
        let site = try f.store.revisionPair("q", from: .number(1), to: .upstream)
        let siteDiff = EntryDiff(entryID: site.header.id, slug: "q", from: site.old, to: site.new, old: site.oldContent, new: site.newContent)
        #expect(siteDiff.body.hunks.flatMap(\.lines).map { $0.op.marker + $0.text } == ["-Site one.", "+Site one, changed.", " Site two."])
        // The default diff is still the editor's change, never the kept-aside import.
        let byDefault = try f.store.revisionPair("q", from: nil, to: nil)
        #expect(byDefault.old.number == 1 && byDefault.new.number == 2)
    }
}
