import Foundation
import GRDB
import PMCMS
import Testing
import TestBackends

@Suite("pmcms export, end to end")
struct ExportTests {
    /// A store with two published questions, one draft article and the site settings, made
    /// through the CLI as a user would.
    func publishedSite() throws -> PMCMSRun {
        let run = try PMCMSRun()
        let env = ["PMCMS_NOW": "2026-11-29T10:00:00Z"]
        for title in ["Is PMO more senior than project manager?", #"What is <b>"scope", really?"#] {
            try #require(try run.run(["new", "--kind", "question", "--title", title], env: env).status == 0)
        }
        try #require(try run.run(["edit", "1", "--set", "body=A PMO oversees many projects.\n\nIt sets standards.", "-m", "answer"], env: env).status == 0)
        try #require(try run.run(["edit", "2", "--set", "body=Scope is *what* is delivered, and \"what not\".", "--set", "edited_at=2026-06-09"], env: env).status == 0)
        for ref in ["1", "2"] {
            for step in ["submit", "approve", "publish"] {
                try #require(try run.run([step, ref], env: env).status == 0)
            }
        }
        try #require(try run.run(["new", "--kind", "article", "--title", "A draft card"], env: env).status == 0)
        try #require(try run.run(["config", "site.title", "PM FAQ"]).status == 0)
        try #require(try run.run(["config", "site.url", "https://www.example.org"]).status == 0)
        return run
    }

    @Test func everyFormatIsWrittenToItsFile() throws {
        let run = try publishedSite()
        defer { run.cleanup() }
        let files = [
            "json": "export.json", "ndjson": "export.ndjson", "csv": "export.csv", "rss": "feed.xml", "atom": "atom.xml",
            "jsonfeed": "feed.json", "faq-jsonld": "faq.jsonld", "sitemap": "sitemap.xml",
        ]
        for (format, file) in files.sorted(by: { $0.key < $1.key }) {
            let result = try run.run(["export", format, "--out", file])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stdout.hasPrefix("\(file): "), "\(result.stdout)")
            let data = try Data(contentsOf: run.directory.appendingPathComponent(file))
            #expect(!data.isEmpty)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
        let rss = try String(contentsOf: run.directory.appendingPathComponent("feed.xml"), encoding: .utf8)
        #expect(rss.contains("<generator>pmcms 0.1.0</generator>"))
        #expect(rss.contains(#"<atom:link href="https://www.example.org/feed.xml" rel="self""#))
        // A plain-text title: `<` as the hexadecimal reference the RSS Profile asks for.
        #expect(rss.contains("&#x3C;b&gt;&quot;scope&quot;, really?"))
        #expect(!rss.contains("A draft card"))
    }

    @Test func jsonToStandardOutputMatchesShowJSON() throws {
        let run = try publishedSite()
        defer { run.cleanup() }
        let result = try run.run(["export", "json"], env: ["PMCMS_NOW": "2026-12-01T00:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try result.object()
        #expect(document["generated_at"] as? String == "2026-12-01T00:00:00Z")
        let entries = try #require(document["entries"] as? [[String: Any]])
        #expect(entries.count == 2)
        let shown = try run.run(["show", "2", "--live", "--json"]).json()
        #expect(NSDictionary(dictionary: entries[1]).isEqual(shown))

        let all = try run.run(["export", "ndjson", "--all", "--with-history"])
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect((first["revisions"] as? [Any])?.count == 5)
    }

    @Test func feedsWithoutSettingsFailWithTheConfigCommands() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        try #require(try run.run(["init"]).status == 0)
        let result = try run.run(["export", "rss", "--out", "feed.xml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("pmcms config site.title"))
        #expect(result.stderr.contains("pmcms config site.url"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.directory.path).allSatisfy { !$0.hasPrefix("feed.xml") && !$0.hasSuffix(".tmp") })
        #expect(try run.run(["export", "rss"]).stdout.isEmpty, "nothing reaches standard output either")
    }

    @Test("bad combinations are usage errors", arguments: [
        ["export", "rss", "--bom"], ["export", "atom", "--with-history"], ["export", "json", "--raw"],
        ["export", "csv", "--columns", "id,nope"], ["export", "csv", "--columns", "id,id"], ["export", "json", "--since", "last week"],
        ["export", "faq-jsonld", "--kind", "article"], ["export", "yaml"],
    ])
    func usageErrors(arguments: [String]) throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        try #require(try run.run(["init"]).status == 0)
        let result = try run.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func sinceKindAndCSVOptions() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        try #require(try run.run(["new", "--kind", "question", "--title", "Old question"], env: ["PMCMS_NOW": "2026-01-01T00:00:00Z"]).status == 0)
        try #require(try run.run(["new", "--kind", "article", "--title", "=HYPERLINK(\"x\")"], env: ["PMCMS_NOW": "2026-06-01T00:00:00Z"]).status == 0)
        let since = try run.run(["export", "json", "--all", "--since", "2026-03-01"]).object()
        #expect((since["entries"] as? [[String: Any]])?.map { $0["id"] as? Int } == [2])
        let kind = try run.run(["export", "json", "--all", "--kind", "question"]).object()
        #expect((kind["entries"] as? [[String: Any]])?.map { $0["id"] as? Int } == [1])

        let csv = try run.run(["export", "csv", "--all", "--bom", "--columns", "id,title"])
        #expect(csv.status == 0)
        #expect(csv.stdout == "\u{FEFF}id,title\r\n1,Old question\r\n2,\"'=HYPERLINK(\"\"x\"\")\"\r\n")
        let raw = try run.run(["export", "csv", "--all", "--raw", "--columns", "title"])
        #expect(raw.stdout == "title\r\nOld question\r\n\"=HYPERLINK(\"\"x\"\")\"\r\n")
    }

    @Test func helpExplainsFormatsAndExamples() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        let help = try run.run(["export", "--help"])
        #expect(help.status == 0)
        for word in ["faq-jsonld", "sitemap", "--with-history", "--columns", "feed.limit", "Examples:"] {
            #expect(help.stdout.contains(word), "help mentions \(word)")
        }
    }
    /// A store made before the export index existed gets its feed dates filled in when a newer
    /// pmcms opens it, so that its feeds are ordered from the first run.
    @Test(.sqliteOnly("builds a SQLite store of migration 0001")) func aVersionOneStoreIsMigratedWithItsFeedDates() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        let initial = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schema/Migrations/0001_initial.sql")
        // Wrapped in a transaction, which also keeps the leading "--" comment from reading as an option.
        let sql = "BEGIN;\n" + (try String(contentsOf: initial, encoding: .utf8)) + """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('0001_initial');
            COMMIT;
            """
        #expect(try run.query(sql).status == 0)
        // The two entries as version 1 wrote them, hashes included, so the store also verifies.
        try DatabaseQueue(path: run.storePath).write { db in
            for (id, slug, title, edited) in [(1, "older", "Older", "2025-06-01"), (2, "newer", "Newer", "2025-12-24")] {
                let content = Content(status: .published, title: title, body: "b", editedAt: edited, publishedAt: "2026-01-01T00:00:00Z")
                try db.execute(
                    sql: "INSERT INTO entry (id, slug, kind, head, live, created_at, updated_at) VALUES (?, ?, 'question', 1, 1, ?, ?)",
                    arguments: [id, slug, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"])
                try db.execute(
                    sql: """
                        INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, body, edited_at, published_at, hash)
                        VALUES (?, 1, 'import', 'x', '2026-01-01T00:00:00Z', 'published', ?, 'b', ?, '2026-01-01T00:00:00Z', ?)
                        """,
                    arguments: [id, title, edited, ContentStore.contentHash(kind: .question, content: content)])
            }
        }
        #expect(try run.run(["config", "site.title", "T"]).status == 0)
        #expect(try run.run(["config", "site.url", "https://www.example.org"]).status == 0)
        #expect(try run.query("SELECT slug, live_feed_date FROM entry ORDER BY id").stdout == "older|2025-06-01\nnewer|2025-12-24\n")
        let feed = try run.run(["export", "jsonfeed"]).object()
        #expect((feed["items"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Newer", "Older"])
    }
}
