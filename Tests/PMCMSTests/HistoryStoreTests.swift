import Foundation
import Testing
import TestBackends
@testable import PMCMS

@Suite("History store")
struct HistoryStoreTests {
    /// Three entries with changes by three people over four days, interleaved in time.
    static func sample() throws -> HistoryFixture {
        let f = try HistoryFixture()
        try f.create("First", body: "one\n", origin: .import, author: "importer", at: "2026-11-01T09:00:00Z")
        try f.create("Second", body: "two\n", origin: .import, author: "importer", at: "2026-11-01T09:00:00Z")
        try f.append("first", author: "sam", at: "2026-11-02T10:00:00Z", message: "reword") { $0.body = "one!\n" }
        try f.append("second", origin: .workflow, author: "kim", at: "2026-11-03T11:00:00Z", message: "submit") { $0.status = .inReview }
        try f.create("Third", body: "three\n", author: "sam", at: "2026-11-03T12:00:00Z", message: "new page")
        try f.append("first", author: "sam", at: "2026-11-04T08:00:00Z", message: "again") { $0.title = "First!" }
        return f
    }

    @Test func logIsNewestFirstAcrossEntries() throws {
        let f = try Self.sample()
        defer { f.cleanup() }
        let log = try f.store.log(LogQuery())
        #expect(log.map { "\($0.slug) r\($0.number)" } == [
            "first r3", "third r1", "second r2", "first r2", "second r1", "first r1",
        ])
        #expect(log.first?.message == "again" && log.first?.author == "sam")
    }

    @Test func logFilters() throws {
        let f = try Self.sample()
        defer { f.cleanup() }
        func slugs(_ q: LogQuery) throws -> [String] { try f.store.log(q).map { "\($0.slug) r\($0.number)" } }
        #expect(try slugs(LogQuery(limit: 3)) == ["first r3", "third r1", "second r2"])
        #expect(try slugs(LogQuery(author: "sam")) == ["first r3", "third r1", "first r2"])
        #expect(try slugs(LogQuery(origin: .import)) == ["second r1", "first r1"])
        #expect(try slugs(LogQuery(origin: .workflow)) == ["second r2"])
        let since = try #require(LogQuery.normalizedSince("2026-11-03"))
        #expect(since == "2026-11-03T00:00:00Z")
        #expect(try slugs(LogQuery(since: since)) == ["first r3", "third r1", "second r2"])
        #expect(try slugs(LogQuery(since: since, author: "sam", limit: 1)) == ["first r3"])
        #expect(try slugs(LogQuery(author: "nobody")).isEmpty)
        #expect(LogQuery.normalizedSince("yesterday") == nil)
        #expect(LogQuery.normalizedSince("2026-11-03T12:00:00+02:00") == "2026-11-03T10:00:00Z")
    }

    @Test(.sqliteOnly("SQLite's query plan")) func logWalksTheTimeIndexInsteadOfSorting() throws {
        let f = try Self.sample()
        defer { f.cleanup() }
        for query in [LogQuery(limit: 50), LogQuery(since: "2026-11-02T00:00:00Z", limit: 50), LogQuery(author: "sam", limit: 50)] {
            let plan = try f.store.logQueryPlan(query)
            #expect(plan.contains("revision_by_"), "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    @Test func historyOfAnEntryWithAnUpstreamConflict() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        try f.create("Q", body: "site text\n", status: .published, origin: .import, author: "importer", at: "2026-11-01T09:00:00Z")
        try f.append("q", author: "sam", at: "2026-11-02T09:00:00Z", message: "editor's answer") {
            $0.body = "editor text\n"
            $0.status = .draft
        }
        try f.append("q", origin: .import, author: "importer", at: "2026-11-03T09:00:00Z", message: "re-import", upstream: true) {
            $0.body = "new site text\n"
        }
        let revisions = try f.store.revisions("q")
        #expect(revisions.map(\.upstream) == [false, false, true])
        #expect(revisions.map(\.live) == [true, false, false])
        #expect(revisions[2].parent == 2)
        #expect(try f.store.header("q").head == 2)
        #expect(try f.store.revisionNumber("q", .upstream) == 3)
        #expect(try f.store.revisionNumber("q", .latest) == 2)
        #expect(try f.store.revisionNumber("q", .live) == 1)

        // `diff q upstream`: the kept-aside import against the editor's text.
        let pair = try f.store.revisionPair("q", from: .upstream, to: nil)
        #expect(pair.old.number == 3 && pair.new.number == 2)
        #expect(pair.old.upstream && pair.oldContent.body == "new site text\n")
        // The default compares the head with its parent, never with the upstream revision.
        let byDefault = try f.store.revisionPair("q", from: nil, to: nil)
        #expect(byDefault.old.number == 1 && byDefault.new.number == 2)
        // The log shows the upstream revision like any other change, flagged.
        #expect(try f.store.log(LogQuery(limit: 1)).first?.upstream == true)
    }

    @Test func revisionNamesThatNameNothingSayWhy() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        try f.create("Q", body: "a\n", at: "2026-11-01T09:00:00Z")
        #expect(throws: StoreError.unknownRevision(slug: "q", number: 9)) { try f.store.revisionPair("q", from: .number(9), to: nil) }
        #expect(throws: RevisionNameError.noUpstream(slug: "q")) { try f.store.revisionNumber("q", .upstream) }
        #expect(throws: RevisionNameError.notPublished(slug: "q")) { try f.store.revisionNumber("q", .live) }
        #expect(throws: StoreError.unknownEntry(ref: "nope")) { try f.store.blame("nope") }
        #expect(StoreError.unknownRevision(slug: "q", number: 9).description == "'q' has no revision 9")
        #expect(RevisionNameError.noUpstream(slug: "q").description == "'q' has no upstream import revision: every import was applied")
        // One revision: the default diff compares it with itself and finds nothing.
        let single = try f.store.revisionPair("q", from: nil, to: nil)
        #expect(single.old.number == 1 && single.new.number == 1)
    }

    @Test func diffBetweenStoredRevisionsShowsEveryField() throws {
        let f = try HistoryFixture()
        defer { f.cleanup() }
        try f.create("Linked", kind: .article, at: "2026-11-01T09:00:00Z")
        try f.create("Q", body: "a\n", at: "2026-11-01T09:00:00Z")
        try f.append("q", at: "2026-11-02T09:00:00Z") {
            $0.title = "Q?"
            $0.sourceURL = "https://example.org/q"
            $0.editedAt = "2026-06-09"
            $0.articles = [LinkRef(title: "Linked", slug: "linked")]
        }
        let pair = try f.store.revisionPair("q", from: .number(2), to: .number(1))
        let diff = EntryDiff(entryID: pair.header.id, slug: pair.header.slug, from: pair.old, to: pair.new, old: pair.oldContent, new: pair.newContent)
        #expect(diff.fields == [
            FieldChange(field: .title, old: "Q?", new: "Q"),
            FieldChange(field: .sourceURL, old: "https://example.org/q", new: nil),
            FieldChange(field: .editedAt, old: "2026-06-09", new: nil),
        ])
        #expect(diff.links == [
            LinkChange(field: .articles, kind: .removed, link: LinkRef(title: "Linked", slug: "linked"), oldPosition: 1, newPosition: nil),
        ])
    }
}
