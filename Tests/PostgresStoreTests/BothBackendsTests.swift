import Foundation
import PostgresStore
import Testing
import Synchronization
import TestSupport

/// The commands that run on PostgreSQL (issue 19) give a user the same bytes, the same errors
/// and the same exit codes as on SQLite: the same store on both backends, the same commands.
@Suite("The same commands on SQLite and on PostgreSQL")
struct BothBackendsTests {
    typealias Folder = StoreCopyTests.Folder

    /// Runs `arguments` on the SQLite store and on `url`; expects the same output and exit code.
    @discardableResult
    static func same(_ folder: Folder, _ url: String, _ arguments: [String], env: [String: String] = [:],
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Int32 {
        let onSQLite = try folder.run(arguments, env: env)
        let onPostgres = try folder.run(arguments, env: env.merging(["PMCMS_DB": url]) { $1 })
        let command = "pmcms " + arguments.joined(separator: " ")
        #expect(onPostgres.status == onSQLite.status,
                "\(command): exit \(onSQLite.status) on SQLite, \(onPostgres.status) on PostgreSQL: \(onPostgres.stderrText)",
                sourceLocation: sourceLocation)
        #expect(onPostgres.stdoutText == onSQLite.stdoutText, "\(command): standard output differs", sourceLocation: sourceLocation)
        #expect(onPostgres.stderrText == onSQLite.stderrText, "\(command): standard error differs", sourceLocation: sourceLocation)
        return onSQLite.status
    }

    @Test("reads, edits, workflow steps, stale writes and exports: byte for byte the same on both backends",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func sameBytes() async throws {
        try await TestDatabase.with { database in
            let folder = try Folder()
            defer { folder.remove() }
            // The same starting store on both sides: a rich SQLite store, copied.
            try StoreCopyTests.richStore(folder)
            try folder.must(["config", "site.url", "https://www.example.org"])
            try folder.must(["store", "copy", "pmcms.sqlite", database.url])
            let list = try JSONSerialization.jsonObject(with: Data(try folder.must(["list", "--json", "--sort", "id"]).utf8)) as? [[String: Any]] ?? []
            let refs = list.compactMap { $0["slug"] as? String }
            try #require(refs.count >= 4)
            let now = ["PMCMS_NOW": "2026-12-01T00:00:00Z"]

            func reads() throws {
                for sort in ["updated", "created", "edited", "title", "slug", "id"] {
                    try Self.same(folder, database.url, ["list", "--sort", sort], env: now)
                }
                try Self.same(folder, database.url, ["list", "--json", "--status", "draft", "--limit", "2"], env: now)
                try Self.same(folder, database.url, ["list", "--status", "scheduled"], env: now)
                for ref in refs.prefix(4) {
                    try Self.same(folder, database.url, ["show", ref, "--json"], env: now)
                    try Self.same(folder, database.url, ["history", ref], env: now)
                    try Self.same(folder, database.url, ["history", ref, "--json"], env: now)
                    try Self.same(folder, database.url, ["diff", ref], env: now)
                    try Self.same(folder, database.url, ["blame", ref], env: now)
                }
                try Self.same(folder, database.url, ["show", refs[0], "--rev", "1"], env: now)
                try Self.same(folder, database.url, ["show", refs[0], "--live", "--html"], env: now)
                try Self.same(folder, database.url, ["diff", refs[0], "1", "latest", "--json"], env: now)
                try Self.same(folder, database.url, ["log", "--json"], env: now)
                try Self.same(folder, database.url, ["log", "--author", "reviewer", "--limit", "3"], env: now)
                try Self.same(folder, database.url, ["review", "--json"], env: now)
                for format in ["json", "csv", "rss", "atom", "sitemap", "ndjson", "wxr"] {
                    try Self.same(folder, database.url, ["export", format], env: now)
                }
                try Self.same(folder, database.url, ["export", "json", "--all", "--with-history"], env: now)
                try Self.same(folder, database.url, ["export", "csv", "--all", "--kind", "question"], env: now)
                // Errors are the same too.
                try Self.same(folder, database.url, ["show", "no-such-entry"], env: now)
                try Self.same(folder, database.url, ["show", refs[0], "--rev", "99"], env: now)
            }
            try reads()

            // The write path: each change on both stores, then everything read again.
            let edits: [[String]] = [
                ["edit", refs[1], "--set", "body=Edited on both backends — «ü».", "-m", "both"],
                ["edit", refs[1], "--set", "summary=stale", "--expect-rev", "1"],  // stale: exit 3
                ["new", "--kind", "question", "--title", "Asked on both backends?", "--set", "body=Yes.", "--set", "related=\(refs[0])"],
                ["submit", refs[1]], ["approve", refs[1]], ["publish", refs[1]],
                ["reject", refs[0]],  // not in review: refused
                ["unpublish", refs[0], "-m", "off"], ["archive", refs[2]], ["restore", refs[2]],
                ["revert", refs[1], "1", "-m", "back again"],
                ["schedule", refs[3], "--cancel"],
                ["publish-due", "--now", "2027-02-01T00:00:00Z"],
                ["config", "site.description", "Answers, on either backend."],
            ]
            var codes: [Int32] = []
            for edit in edits { codes.append(try Self.same(folder, database.url, edit, env: now)) }
            #expect(codes.contains(3), "the stale edit exits 3 on both")
            try reads()
            try Self.same(folder, database.url, ["verify"], env: now)
        }
    }

    /// What two searches must share across backends: the same entries (id, slug, kind, status,
    /// title), each with a snippet that marks a hit. Order, rank and the snippet's window are the
    /// backend's own (bm25 and FTS5's snippet on SQLite, ts_rank and ts_headline on PostgreSQL).
    static func sameHits(_ folder: Folder, _ url: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let onSQLite = try folder.run(arguments + ["--json"])
        let onPostgres = try folder.run(arguments + ["--json"], env: ["PMCMS_DB": url])
        let command = "pmcms " + arguments.joined(separator: " ")
        #expect(onSQLite.status == 0 && onPostgres.status == 0, "\(command): \(onSQLite.stderrText)\(onPostgres.stderrText)", sourceLocation: sourceLocation)
        func entries(_ output: Subprocess.Output) throws -> [String] {
            let hits = try JSONSerialization.jsonObject(with: output.stdout) as? [[String: Any]] ?? []
            for hit in hits {
                let snippet = hit["snippet"] as? String ?? ""
                #expect(snippet.contains("<mark>") && snippet.contains("</mark>"), "\(command): snippet \(snippet)", sourceLocation: sourceLocation)
            }
            return hits.map { hit in
                ["id", "slug", "kind", "status", "title"].map { "\(hit[$0] ?? "")" }.joined(separator: " | ")
            }.sorted()
        }
        let sqlite = try entries(onSQLite), postgres = try entries(onPostgres)
        #expect(sqlite == postgres, "\(command): SQLite found \(sqlite), PostgreSQL \(postgres)", sourceLocation: sourceLocation)
        // The text output lists the same entries too (each hit's first line: slug, kind, status).
        func heads(_ output: Subprocess.Output) -> [String] {
            output.stdoutText.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map(String.init).sorted()
        }
        let sqliteText = try folder.run(arguments), postgresText = try folder.run(arguments, env: ["PMCMS_DB": url])
        #expect(heads(sqliteText) == heads(postgresText), "\(command): text output lists other entries", sourceLocation: sourceLocation)
        #expect(sqliteText.status == postgresText.status, sourceLocation: sourceLocation)
        return sqlite.count
    }

    @Test("search: the same entries found, the same filters, limits, errors and exit codes on both backends",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func sameSearch() async throws {
        try await TestDatabase.with { database in
            let folder = try Folder()
            defer { folder.remove() }
            try StoreCopyTests.richStore(folder)
            try folder.must(["store", "copy", "pmcms.sqlite", database.url])
            let queries: [[String]] = [
                ["project"], ["project", "manager"], ["pmo"], ["PMO", "AND", "manager"], [#""project manager""#],
                ["manag*"], ["proj*"], ["prince2", "OR", "agile"], ["project", "NOT", "pmo"],
                ["project", "--kind", "question"], ["project", "--kind", "article"], ["project", "--status", "draft"],
                ["pmo", "--status", "published"], ["café"], ["cafe"], ["resume"], ["ünïcødé"], ["standards", "—"],
                ["what's", "project"], ["c++", "OR", "non-IT", "OR", "pmo"], ["a:b", "&|!()", "<->", "OR", "kanban"],
            ]
            var found = 0
            for query in queries {
                if try Self.sameHits(folder, database.url, ["search"] + query + ["--limit", "100"]) > 0 { found += 1 }
            }
            // Most queries find something: the comparison is not of empty answers.
            #expect(found >= queries.count - 2, "only \(found) of \(queries.count) queries found anything")
            // A limit gives as many hits on both.
            for limit in ["1", "3"] {
                let counts = try [[String: String](), ["PMCMS_DB": database.url]].map { env in
                    let output = try folder.run(["search", "project", "--json", "--limit", limit], env: env)
                    return (try JSONSerialization.jsonObject(with: output.stdout) as? [Any])?.count ?? -1
                }
                #expect(counts == [Int(limit), Int(limit)], "--limit \(limit): \(counts)")
            }
            // No hits, and refused queries: byte for byte the same (message and exit code).
            for query in [["zzzz-no-such-word"], ["zzzz-no-such-word", "--json"], [#""unclosed"#], ["project", "--kind", "question", "--status", "archived"]] {
                #expect(try Self.same(folder, database.url, ["search"] + query) == 0)
            }
            for bad in [["   "], [String(repeating: "word ", count: 200)], ["x", "--limit", "0"], ["x", "--kind", "nope"]] {
                #expect(try Self.same(folder, database.url, ["search"] + bad) == 2, "\(bad)")
            }
            // The index follows each write at once, on both: an edit's new words are found and
            // the words it removed no longer are.
            let hits = try JSONSerialization.jsonObject(with: Data(try folder.must(["search", "oversees", "--json"]).utf8)) as? [[String: Any]] ?? []
            let slug = try #require(hits.first?["slug"] as? String)
            try Self.same(folder, database.url, ["edit", slug, "--set", "body=Quokkas now, nothing else."])
            #expect(try Self.sameHits(folder, database.url, ["search", "quokkas"]) == 1)
            try Self.same(folder, database.url, ["search", "oversees"])
        }
    }

    @Test("import into a new PostgreSQL store, again unchanged, and as a dry run: the same summaries and the same store",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func sameImport() async throws {
        try await TestDatabase.with { database in
            let folder = try Folder()
            defer { folder.remove() }
            let now = ["PMCMS_NOW": "2026-11-29T10:00:00Z"]
            let site = StoreCopyTests.site.path
            try Self.same(folder, database.url, ["import", site, "--base-url", "https://www.example.org", "--json"], env: now)
            try Self.same(folder, database.url, ["import", site, "--base-url", "https://www.example.org"], env: now)
            let list = try JSONSerialization.jsonObject(with: Data(try folder.must(["list", "--json", "--sort", "id"]).utf8)) as? [[String: Any]] ?? []
            let first = try #require(list.first?["slug"] as? String)
            // An editor's change, then the page changed upstream: a conflict on both.
            try Self.same(folder, database.url, ["edit", first, "--set", "body=An editor's answer.", "-m", "edit"], env: now)
            let page = folder.directory.appendingPathComponent("changed.html")
            try #"<html><head><link rel="canonical" href="https://www.example.org/changed"><title>Changed page</title></head><body><h1>Changed page</h1><p>First text.</p></body></html>"#
                .write(to: page, atomically: true, encoding: .utf8)
            try Self.same(folder, database.url, ["import", page.path, "--dry-run", "--json"], env: now)
            try Self.same(folder, database.url, ["import", page.path], env: now)
            try Self.same(folder, database.url, ["list", "--sort", "id"], env: now)
            try Self.same(folder, database.url, ["export", "json", "--all", "--with-history"], env: now)
            try Self.same(folder, database.url, ["check", "--json"], env: now)
            try Self.same(folder, database.url, ["verify"], env: now)
        }
    }

    @Test("a database whose own collation is not byte order (ICU en-US) still sorts as SQLite does",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func byteOrderWhateverTheLocale() async throws {
        // In en-US, "alpha" sorts before "Zeta"; in bytes (SQLite), "Zeta" first.
        try await TestDatabase.with(options: "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'") { database in
            let folder = try Folder()
            defer { folder.remove() }
            let now = ["PMCMS_NOW": "2026-12-01T00:00:00Z"]
            // `init` names the store it made: run on each alone.
            try folder.must(["init"], env: now)
            try folder.must(["init"], env: now.merging(["PMCMS_DB": database.url]) { $1 })
            for title in ["Zeta question?", "alpha question?", "Beta question?"] {
                try Self.same(folder, database.url, ["new", "--kind", "question", "--title", title, "--set", "body=Yes."], env: now)
            }
            try Self.same(folder, database.url, [
                "edit", "beta-question", "--set",
                "related=https://www.example.org/Zeta, https://www.example.org/alpha, https://www.example.org/_under",
            ], env: now)
            // Unresolved links are reported in address order: bytes put "Z" and "_" apart from "a".
            let check = try Self.same(folder, database.url, ["check", "--json"], env: now)
            #expect(check == 0 || check == 1)
            for sort in ["title", "slug"] { try Self.same(folder, database.url, ["list", "--sort", sort], env: now) }
            for author in ["Zed", "amy"] {
                try Self.same(folder, database.url, ["edit", "zeta-question", "--set", "body=By \(author)."], env: now.merging(["PMCMS_AUTHOR": author]) { $1 })
            }
            try Self.same(folder, database.url, ["log"], env: now)
        }
    }

    @Test("two edits at once with the same --expect-rev on PostgreSQL: exactly one wins, the other exits 3; verify is clean",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func concurrentEdits() async throws {
        try await TestDatabase.with { database in
            let folder = try Folder()
            defer { folder.remove() }
            try folder.must(["new", "--kind", "question", "--title", "Raced?", "--set", "body=Start."])
            try folder.must(["store", "copy", "pmcms.sqlite", database.url])
            let env = ["PMCMS_DB": database.url]
            for round in 1...6 {
                let base = round  // the entry is at revision `round` before each round
                let outcomes = Mutex<[Subprocess.Output]>([])
                let failure = Mutex<String?>(nil)
                DispatchQueue.concurrentPerform(iterations: 2) { writer in
                    do {
                        let result = try folder.run(
                            ["edit", "raced", "--set", "body=Round \(round), writer \(writer).", "--expect-rev", "\(base)"], env: env)
                        outcomes.withLock { $0.append(result) }
                    } catch {
                        failure.withLock { $0 = "\(error)" }
                    }
                }
                #expect(failure.withLock { $0 } == nil)
                let results = outcomes.withLock { $0 }
                let codes = results.map(\.status).sorted()
                #expect(codes == [0, 3], "round \(round): \(results.map { "\($0.status) \($0.stderrText)" })")
                let history = try folder.must(["history", "raced", "--json"], env: env)
                let revisions = try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]] ?? []
                #expect(revisions.count == base + 1, "round \(round): one revision more, not two")
            }
            let verified = try folder.run(["verify"], env: env)
            #expect(verified.status == 0 && verified.stdoutText.hasPrefix("ok: "), "\(verified.stdoutText)\(verified.stderrText)")
        }
    }
}
