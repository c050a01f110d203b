import Foundation
import GRDB
import GRDBSQLite
import Testing
@testable import PMCMS

@Suite("Search and check")
struct SearchCheckTests {
    @Test("ranked full-text search: title above body, phrases, prefixes, booleans, folded accents")
    func search() throws {
        let t = try TestStore()
        try t.question("Can a Scrum Master be a PM?", body: "Yes, many do.")
        try t.question("Is a PM a Scrum Master?", body: "Not usually.")
        try t.question("What does a PMO do?", body: "It supports the scrum master and the whole programme.")
        try t.store.createEntry(kind: .article, content: Content(title: "Writing a résumé", body: "Your résumé matters.", summary: "CV tips"), author: "sam")
        let hits = try t.store.search(SearchQuery("scrum master"))
        #expect(hits.count == 3)
        #expect(Set(hits.prefix(2).map(\.slug)) == ["can-a-scrum-master-be-a-pm", "is-a-pm-a-scrum-master"])
        #expect(hits[2].slug == "what-does-a-pmo-do")
        #expect(hits[2].snippet.contains("\(SearchHit.markOpen)scrum\(SearchHit.markClose)"))
        #expect(try t.store.search(SearchQuery("\"whole programme\"")).map(\.slug) == ["what-does-a-pmo-do"])
        #expect(try t.store.search(SearchQuery("Programme")).count == 1)
        #expect(try t.store.search(SearchQuery("resume")).map(\.slug) == ["writing-a-resume"])
        #expect(try t.store.search(SearchQuery("scr*")).count == 3)
        #expect(try t.store.search(SearchQuery("scrum NOT usually")).count == 2)
        #expect(try t.store.search(SearchQuery("scrum", kind: .article)).isEmpty)
        // An unclosed quote is a phrase to the end; a query that is only an operator is an error.
        #expect(try t.store.search(SearchQuery("\"whole programme")).map(\.slug) == ["what-does-a-pmo-do"])
        #expect(throws: StoreError.self) { try t.store.search(SearchQuery("OR")) }
        #expect(throws: StoreError.self) { try t.store.search(SearchQuery("   ")) }
    }

    @Test("the index follows every change in the same transaction")
    func searchFollowsChanges() throws {
        let t = try TestStore()
        try t.question("Old title?", body: "nothing")
        try t.store.edit("1", author: "kim") { $0.title = "Brand new wording?" }
        #expect(try t.store.search(SearchQuery("old")).isEmpty)
        #expect(try t.store.search(SearchQuery("wording")).count == 1)
        try t.store.revert("1", to: 1, author: "kim")
        #expect(try t.store.search(SearchQuery("old")).count == 1)
    }

    @Test("an older store gets its search index built by the migration")
    func migrationBuildsIndex() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try ContentStore.migrator.migrate(queue, upTo: "0001_initial")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO entry (slug, kind, head, created_at, updated_at) VALUES ('q', 'question', 1, 'x', 'x')")
                try db.execute(sql: """
                    INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, body, hash)
                    VALUES (1, 1, 'edit', 'sam', '2026-01-01T00:00:00Z', 'draft', 'Stakeholder maps', 'Who matters', 'sha256:x')
                    """)
            }
        }
        let store = try ContentStore(path: path)
        #expect(try store.appliedMigrations().contains("0002_search"))
        #expect(try store.search(SearchQuery("stakeholder")).map(\.slug) == ["q"])
    }

    @Test("search over 10,000 entries reads the index, never scans a table")
    func searchAtScale() throws {
        let t = try TestStore()
        let words = ["project", "programme", "portfolio", "agile", "scrum", "budget", "risk", "stakeholder", "charter", "sprint"]
        var pages: [PageImport] = []
        for i in 0..<10_000 {
            let a = words[i % words.count], b = words[(i / 10) % words.count], c = words[(i / 100) % words.count]
            pages.append(PageImport(entries: [IncomingEntry(
                key: "https://www.example.org/faq/q\(i)", kind: .question,
                content: Content(title: "How does \(a) relate to \(b) number \(i)?", body: "An answer about \(c) and \(a) management, case \(i)."))]))
        }
        _ = try t.store.importPages(pages, newStatus: .published, author: "gen")
        #expect(try t.store.count() == 10_000)
        let hits = try t.store.search(SearchQuery("stakeholder risk", limit: 20))
        #expect(hits.count == 20)
        // Speed is measured by the benchmark (Benchmarks/bench.py, "search"); here, the work is
        // bounded: the full-text index finds the rows, entries and revisions are looked up by
        // key, and no table is scanned whatever the store's size.
        let sql = ContentStore.searchSQL + " ORDER BY rank LIMIT 20"
        let plan = try t.store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ["[", "]", "stakeholder risk"]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.hasPrefix("SCAN search VIRTUAL TABLE INDEX") }, "\(plan)")
        #expect(plan.contains { $0.hasPrefix("SEARCH e USING INTEGER PRIMARY KEY") }, "\(plan)")
        #expect(plan.contains { $0.hasPrefix("SEARCH r USING PRIMARY KEY") || $0.hasPrefix("SEARCH r USING INDEX") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN e") || $0.hasPrefix("SCAN r") }, "\(plan)")
        let fullScanSteps = try t.store.read { db in
            let statement = try db.makeStatement(sql: sql)
            _ = try Row.fetchAll(statement, arguments: ["[", "]", "stakeholder risk"])
            return sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0)
        }
        #expect(fullScanSteps == 0, "no step of a full table scan")
    }

    @Test("check reports conflicts as errors and the rest as warnings or info")
    func check() throws {
        let t = try TestStore()
        try t.store.setSetting(.siteURL, "https://www.example.org")
        let url = "https://www.example.org/faq/pmo"
        let page = { (body: String) in
            PageImport(entries: [IncomingEntry(key: url, kind: .question, content: Content(
                title: "Is PMO more senior?", body: body, sourceURL: url, editedAt: "2020-01-01",
                related: [LinkRef(title: "Am I qualified?", url: "https://www.example.org/faq/qualified")]))])
        }
        _ = try t.store.importPages([page("First.")], newStatus: .published, author: "imp")
        try t.question("Is  PMO more senior", body: "See [this](/faq/missing-page) and [that](https://www.example.org/faq/pmo).")
        try t.question("Empty?", body: "  ")
        try t.store.createEntry(kind: .article, content: Content(title: "Card", summary: "Has a summary"), author: "sam")
        var findings = try t.store.editorialReport(CheckOptions(staleDays: 365))
        #expect(!findings.contains { $0.severity == .error })
        #expect(findings.contains { $0.check == .unresolvedLink && $0.message.contains("https://www.example.org/faq/qualified") && $0.message.contains("1 page") })
        #expect(findings.contains { $0.check == .duplicate && $0.slug == "is-pmo-more-senior" })
        #expect(findings.contains { $0.check == .emptyAnswer && $0.slug == "empty" })
        #expect(findings.contains { $0.check == .stale && $0.slug == "is-pmo-more-senior" })
        #expect(findings.contains { $0.check == .incompleteArticle && $0.message.contains("image") })
        #expect(findings.filter { $0.check == .brokenBodyLink }.map(\.message) == ["the body links to /faq/missing-page, which is not an entry"])

        try t.store.edit("is-pmo-more-senior", author: "kim") { $0.body = "Edited." }
        _ = try t.store.importPages([page("Changed upstream.")], newStatus: .published, author: "imp")
        findings = try t.store.editorialReport()
        let conflict = try #require(findings.first)
        #expect(conflict.check == .conflict && conflict.severity == .error && conflict.slug == "is-pmo-more-senior")
        // Editing after the conflict is the editor's merge: the error goes away.
        try t.store.edit("is-pmo-more-senior", author: "kim") { $0.body = "Merged." }
        #expect(!(try t.store.editorialReport()).contains { $0.check == .conflict })
    }
}
