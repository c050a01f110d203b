import Foundation
import GRDB
import GRDBSQLite
import Testing
import TestBackends
@testable import PMCMS

@Suite("Search and check")
struct SearchCheckTests {
    @Test("ranked full-text search: title above body, phrases, prefixes, booleans, folded accents", .untilSearchServeOnPostgres)
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

    @Test("the index follows every change in the same transaction", .untilSearchServeOnPostgres)
    func searchFollowsChanges() throws {
        let t = try TestStore()
        try t.question("Old title?", body: "nothing")
        try t.store.edit("1", author: "kim") { $0.title = "Brand new wording?" }
        #expect(try t.store.search(SearchQuery("old")).isEmpty)
        #expect(try t.store.search(SearchQuery("wording")).count == 1)
        try t.store.revert("1", to: 1, author: "kim")
        #expect(try t.store.search(SearchQuery("old")).count == 1)
    }

    @Test("an older store gets its search index built by the migration", .sqliteOnly("builds a SQLite store of migration 0001 with GRDB"))
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

    @Test("search over 10,000 entries reads the index, never scans a table", .sqliteOnly("counts SQLite's full-scan steps"))
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
        // Speed is measured by the benchmark (Benchmarks/bench.py, "search"); here, the work is
        // bounded: the full-text index finds and ranks the rows alone (entries and revisions are
        // joined only to filter, by key), and the hits shown are read by key, their snippets
        // computed for those rows only, found by rowid in the index.
        func plan(_ sql: String, _ arguments: StatementArguments) throws -> [String] {
            try t.store.readSQLite { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
        }
        func fullScanSteps(_ sql: String, _ arguments: StatementArguments) throws -> Int32 {
            try t.store.readSQLite { db in
                let statement = try db.makeStatement(sql: sql)
                _ = try Row.fetchAll(statement, arguments: arguments)
                return sqlite3_stmt_status(statement.sqliteStatement, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0)
            }
        }
        let ranking: StatementArguments = ["query": "stakeholder risk", "limit": 21, "offset": 0]
        let unfiltered = try plan(ContentStore.rankingSQL(kind: false, status: false), ranking)
        #expect(unfiltered.contains { $0.hasPrefix("SCAN search VIRTUAL TABLE INDEX") }, "\(unfiltered)")
        #expect(!unfiltered.contains { $0.hasPrefix("SEARCH") || $0.hasPrefix("SCAN e") || $0.hasPrefix("SCAN r") },
                "ranking reads neither entries nor revisions: \(unfiltered)")
        var filteredArguments = ranking
        _ = filteredArguments.append(contentsOf: ["kind": "question", "status": "published"])
        let filtered = try plan(ContentStore.rankingSQL(kind: true, status: true), filteredArguments)
        #expect(filtered.contains { $0.hasPrefix("SCAN search VIRTUAL TABLE INDEX") }, "\(filtered)")
        #expect(filtered.contains { $0.hasPrefix("SEARCH e USING INTEGER PRIMARY KEY") }, "\(filtered)")
        #expect(filtered.contains { $0.hasPrefix("SEARCH r USING PRIMARY KEY") || $0.hasPrefix("SEARCH r USING INDEX") }, "\(filtered)")
        #expect(!filtered.contains { $0.hasPrefix("SCAN e") || $0.hasPrefix("SCAN r") }, "\(filtered)")
        #expect(try fullScanSteps(ContentStore.rankingSQL(kind: true, status: true), filteredArguments) == 0)

        let ids = hits.map(\.id).map(String.init).joined(separator: ",")
        let shown: StatementArguments = ["ids": "[\(ids)]", "query": "stakeholder risk", "open": "[", "close": "]"]
        let page = try plan(ContentStore.hitsSQL, shown)
        #expect(page.contains { $0.hasPrefix("SEARCH e USING INTEGER PRIMARY KEY") }, "\(page)")
        #expect(page.contains { $0.hasPrefix("SEARCH r USING PRIMARY KEY") || $0.hasPrefix("SEARCH r USING INDEX") }, "\(page)")
        #expect(!page.contains { $0 == "SCAN e" || $0 == "SCAN r" || $0.hasPrefix("SCAN e ") || $0.hasPrefix("SCAN r ") }, "\(page)")
        // The snippet's subquery finds its row by rowid ('=' in FTS5's plan), not by walking
        // every match of the query.
        #expect(page.contains { $0.hasPrefix("SCAN search VIRTUAL TABLE INDEX") && $0.contains("=") }, "\(page)")
        #expect(try fullScanSteps(ContentStore.hitsSQL, shown) == 0, "no step of a full table scan")
    }

    @Test("search pages follow the ranking, which also counts the matches up to its limit", .untilSearchServeOnPostgres)
    func searchPagesAndRankings() throws {
        let t = try TestStore()
        for i in 1...7 {
            try t.question("Entry \(i)?", body: Array(repeating: "stakeholder", count: i).joined(separator: " ") + " and words")
        }
        try t.store.createEntry(kind: .article, content: Content(title: "A stakeholder card", body: "cards"), author: "sam")
        let all = try t.store.search(SearchQuery("stakeholder", kind: .question, limit: 50))
        #expect(all.count == 7)
        #expect(all.allSatisfy { $0.snippet.contains("\(SearchHit.markOpen)stakeholder\(SearchHit.markClose)") })
        let pages = try (0..<4).flatMap { page in
            try t.store.search(SearchQuery("stakeholder", kind: .question, limit: 2, offset: page * 2))
        }
        #expect(pages.map(\.slug) == all.map(\.slug))
        #expect(pages.map(\.rank) == all.map(\.rank))
        #expect(try t.store.search(SearchQuery("stakeholder", limit: 2, offset: 8)).isEmpty)

        let ranking = try t.store.searchRanking(SearchQuery("stakeholder", kind: .question), limit: 50)
        #expect(ranking.items.map(\.id) == all.map(\.id))
        #expect(!ranking.more)
        let hits = try t.store.searchHits(SearchQuery("stakeholder"), ranking.items[2..<4])
        #expect(hits.map(\.slug) == all[2..<4].map(\.slug))
        #expect(hits.map(\.snippet) == all[2..<4].map(\.snippet))
        #expect(try t.store.searchRanking(SearchQuery("stakeholder"), limit: 50).items.count == 8)
        let capped = try t.store.searchRanking(SearchQuery("stakeholder"), limit: 5)
        #expect(capped.items.count == 5 && capped.more)
        #expect(try t.store.searchRanking(SearchQuery("stakeholder"), limit: 8).more == false)
        #expect(try t.store.searchRanking(SearchQuery("nowhere"), limit: 5) == SearchRanking(items: [], more: false))
        #expect(throws: StoreError.self) { try t.store.searchRanking(SearchQuery("OR"), limit: 5) }
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
