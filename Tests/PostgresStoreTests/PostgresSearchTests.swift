import Foundation
import PMCMS
import PostgresStore
import Testing

/// Search on PostgreSQL (issue 19, item 3) against search on SQLite: one store, copied with
/// `store copy`, searched on both backends with the same queries, must find the same entries.
@Suite("Full-text search on PostgreSQL finds what SQLite finds")
struct PostgresSearchTests {
    /// A SQLite store in its own temporary folder, removed by `remove()`.
    struct Store {
        let directory: URL
        let path: String
        let store: ContentStore

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-pgsearch-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            path = directory.appendingPathComponent("pmcms.sqlite").path
            store = try ContentStore(path: path, access: .create)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    /// Entries whose words tell the backends' tokenising apart if it differs: accents both
    /// ways, case, punctuation inside words (non-IT, example.com, 3.14, foo_bar), every tsquery
    /// operator in the text, a word only in an older revision, a title hit against a body hit.
    static func fill(_ store: ContentStore) throws {
        let entries: [(Kind, String, String, String?)] = [
            (.article, "Café culture in Paris", "The café serves crème brûlée every morning.", "Coffee, the French way"),
            (.article, "Coffee shops", "A cafe near the station: non-IT staff welcome; example.com lists it at 3.14 stars.", nil),
            (.article, "Project management office", "A PMO oversees projects. Programme management is broader.", "What a PMO does"),
            (.article, "Agile and Scrum", "Scrum is an agile framework. Sprints last two weeks.", nil),
            (.article, "Waterfall", "Waterfall is not agile. It plans everything up front.", nil),
            (.article, "Kanban boards", "Cards move across columns.", nil),
            (.article, "Lean methods", "Lean methods include kanban among many others, and every one of them aims to improve the flow of work through a team.", nil),
            (.question, "How do I write a résumé?", "Write a resume that fits on one page. ÉCOLE and Straße count.", nil),
            (.article, "Punctuation everywhere",
             #"He said "quote" and 'apostrophe' with a back\slash, a:colon & pipes | bang! (parens) <-> arrows * star foo_bar o'brien"#, nil),
            (.question, "What is a sprint?", "A sprint is a time box in Scrum; agile teams plan one at a time.", "Sprints, briefly"),
        ]
        for (kind, title, body, summary) in entries {
            try store.createEntry(kind: kind, content: Content(title: title, body: body, summary: summary), author: "tester")
        }
        // A word only an older revision had: neither backend finds it.
        let header = try store.createEntry(kind: .article, content: Content(title: "Zebra crossings", body: "A zebra stripe."), author: "tester")
        try store.edit(header.slug, author: "tester") { content in
            content.title = "Pedestrian crossings"
            content.body = "Stripes on the road."
        }
        try store.transition("agile-and-scrum", .submit, author: "tester")
    }

    static let queries: [String] = [
        // words, implicit AND, explicit AND
        "agile", "agile scrum", "agile AND scrum", "management", "PMO", "stripes", "zebra",
        // phrases, also across punctuation, and in the wrong order
        #""agile framework""#, #""framework agile""#, #""non-IT staff""#, #""station non-IT staff""#, "non-IT", #""example.com""#, "example", "3.14",
        "foo_bar", "o'brien", #""time box""#,
        // prefixes
        "manag*", "proj*", #""agile fram"*"#, "sprint*", "Kanb*",
        // OR, NOT, and how they group (as FTS5 groups them)
        "scrum OR waterfall", "agile NOT waterfall", "agile NOT scrum sprints", "agile OR waterfall NOT plans",
        "agile NOT waterfall OR kanban", "kanban OR lean AND flow", "sprint NOT \"time box\"",
        // accents and case, both ways
        "café", "cafe", "CAFÉ", "résumé", "resume", "RESUME", "école", "ecole", "creme brulee", "crème", "straße",
        // hostile punctuation: never a server error
        #"""#, "'", #"\"#, ":*", "&|!()", "<->", "*", "", "   ", "a:*", #"back\slash"#, "'apostrophe'", #""quote"#,
        "a & b", "!bang", "(parens)", "pipes | bang", "x <-> y", "a:b", "star *", "agile:*", "agile:A", "agile & !scrum",
        "NOT", "OR agile", "agile OR", "agile OR OR scrum", #"\\"#, "'';DROP TABLE entry;--", "$1", "%", "_", "agile)",
        "((agile", "scrum'", "''", #"'\''"#, "\u{0}", "café\u{301}", "—", "«agile»",
    ]

    /// The outcome of a search on one backend: the entries found, or the error's message.
    enum Outcome: Equatable, CustomStringConvertible {
        case hits([Int64])
        case refused(String)

        init(_ body: () throws -> [SearchHit]) {
            do {
                self = .hits(try body().map(\.id))
            } catch {
                self = .refused("\(error)")
            }
        }

        var description: String {
            switch self {
            case .hits(let ids): return "hits \(ids)"
            case .refused(let message): return "refused: \(message)"
            }
        }

        /// The same entries (in any order), or the same refusal.
        func sameEntries(as other: Outcome) -> Bool {
            switch (self, other) {
            case (.hits(let a), .hits(let b)): return Set(a) == Set(b) && a.count == b.count
            default: return self == other
            }
        }
    }

    @Test("Every query finds the same entries on both backends, or is refused with the same message; none is a server error",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func sameResults() async throws {
        try await TestDatabase.with { database in
            let local = try Store()
            defer { local.remove() }
            try Self.fill(local.store)
            _ = try await pg { try StoreCopy.copy(from: local.path, to: database.url) }
            let session = try await pg { try database.connect() }
            defer { closeOffThePool(session) }
            var found = 0
            for text in Self.queries {
                let query = SearchQuery(text, limit: 100)
                let sqlite = Outcome { try local.store.search(query) }
                let postgres = try await pg { Outcome { try PostgresSearch.search(session, query) } }
                #expect(sqlite.sameEntries(as: postgres), "'\(text)': SQLite \(sqlite), PostgreSQL \(postgres)")
                if case .refused(let message) = postgres {
                    #expect(!message.contains("SQLSTATE"), "'\(text)' reached the server as syntax: \(message)")
                }
                if case .hits(let ids) = postgres { found += ids.isEmpty ? 0 : 1 }
            }
            // The corpus is not empty on PostgreSQL: most of the queries find something.
            #expect(found > 30, "only \(found) queries found anything")
        }
    }

    /// The hits' slugs on PostgreSQL.
    static func slugs(_ session: PostgresSession, _ query: SearchQuery) async throws -> [String] {
        try await pg { try PostgresSearch.search(session, query).map(\.slug) }
    }

    @Test("Ranks, filters, pages and snippets: a title hit before a body hit on both backends; kind and status filter alike",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func rankingAndSnippets() async throws {
        try await TestDatabase.with { database in
            let local = try Store()
            defer { local.remove() }
            try Self.fill(local.store)
            _ = try await pg { try StoreCopy.copy(from: local.path, to: database.url) }
            let session = try await pg { try database.connect() }
            defer { closeOffThePool(session) }

            // A title hit outranks a body hit (weights 10 and 1 on both backends): the order is
            // the same, and paging gives the second alone.
            let kanban = SearchQuery("kanban")
            #expect(try local.store.search(kanban).map(\.slug) == ["kanban-boards", "lean-methods"])
            #expect(try await Self.slugs(session, kanban) == ["kanban-boards", "lean-methods"])
            #expect(try await Self.slugs(session, SearchQuery("kanban", limit: 1, offset: 1)) == ["lean-methods"])
            #expect(try await Self.slugs(session, SearchQuery("kanban", limit: 1)) == ["kanban-boards"])
            // Lower is better, as bm25 gives it.
            let ranks = try await pg { try PostgresSearch.search(session, kanban).map(\.rank) }
            #expect(ranks.count == 2 && ranks[0] < ranks[1], "\(ranks)")

            // Filters: kind, status, both.
            for query in [SearchQuery("agile", kind: .question), SearchQuery("agile", status: .inReview),
                          SearchQuery("agile", kind: .article, status: .draft), SearchQuery("sprint*", kind: .article)] {
                let sqlite = Set(try local.store.search(query).map(\.slug))
                let postgres = Set(try await Self.slugs(session, query))
                #expect(sqlite == postgres, "\(query): SQLite \(sqlite), PostgreSQL \(postgres)")
            }
            #expect(try await Self.slugs(session, SearchQuery("agile", status: .inReview)) == ["agile-and-scrum"])

            // A ranking and its pages, as the web desk reads them.
            let ranking = try await pg { try PostgresSearch.ranking(session, SearchQuery("agile"), limit: 2) }
            #expect(ranking.items.count == 2 && ranking.more)
            let everything = try await pg { try PostgresSearch.ranking(session, SearchQuery("agile"), limit: 10) }
            #expect(everything.items.count == 3 && !everything.more, "\(everything)")
            let page = try await pg { try PostgresSearch.hits(session, SearchQuery("agile"), everything.items[1...]) }
            #expect(page.map(\.id) == everything.items[1...].map(\.id))
            #expect(page.map(\.rank) == everything.items[1...].map(\.rank))

            // Snippets mark the hits as SQLite's do, on the text as written (accents and case
            // kept: the title "Café culture in Paris" holds the hit, as its body does, and the
            // title is the first field).
            let open = SearchHit.markOpen, close = SearchHit.markClose
            for text in ["café", "cafe", "CAFE"] {
                let hits = try await pg { try PostgresSearch.search(session, SearchQuery(text)) }
                #expect(hits.count == 2, "\(text): \(hits.map(\.slug))")
                for hit in hits {
                    #expect(hit.snippet.contains("\(open)Café\(close) culture") || hit.snippet.contains("\(open)cafe\(close) near"), "\(text): \(hit.snippet)")
                }
            }
            let sprint = try await pg { try PostgresSearch.search(session, SearchQuery(#""time box""#)) }
            #expect(sprint.first?.snippet.contains("\(open)time\(close) \(open)box\(close)") == true, "\(sprint.map(\.snippet))")
            // A snippet that starts inside the text says so, as SQLite's "…" does.
            let lean = try await pg { try PostgresSearch.search(session, SearchQuery("flow")) }
            #expect(lean.first?.snippet.hasPrefix("…") == true, "\(lean.map(\.snippet))")
            let sqliteLean = try local.store.search(SearchQuery("flow"))
            #expect(sqliteLean.first?.snippet.hasPrefix("…") == true, "\(sqliteLean.map(\.snippet))")
        }
    }

    @Test("The index follows the head: a revision added on PostgreSQL is found at once, the one it replaced no longer",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func indexFollowsHead() async throws {
        try await TestDatabase.with { database in
            let local = try Store()
            defer { local.remove() }
            try Self.fill(local.store)
            _ = try await pg { try StoreCopy.copy(from: local.path, to: database.url) }
            let session = try await pg { try database.connect() }
            defer { closeOffThePool(session) }
            #expect(try await Self.slugs(session, SearchQuery("waterfall")) == ["waterfall"])
            try await pg {
                try session.query("BEGIN")
                try session.query("""
                    INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, body, hash)
                    SELECT id, head + 1, 'edit', 'tester', 't', 'draft', 'V-model', 'Verification beside each phase.', 'h'
                    FROM entry WHERE slug = 'waterfall'
                    """)
                try session.query("UPDATE entry SET head = head + 1 WHERE slug = 'waterfall'")
                try session.query("COMMIT")
            }
            #expect(try await Self.slugs(session, SearchQuery("waterfall")) == [])
            #expect(try await Self.slugs(session, SearchQuery("verif* phase")) == ["waterfall"])
        }
    }
}
