import Foundation
import PostgresStore
import Testing
import TestSupport

/// `pmcms store copy` and the CLI's PostgreSQL stores, through the built binary as a user runs it.
@Suite("pmcms store copy between SQLite and PostgreSQL")
struct StoreCopyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let site = root.appendingPathComponent("Tests/Fixtures/site")

    /// The `pmcms` executable built beside this test bundle.
    static var executable: URL {
        var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let binary = candidate.appendingPathComponent("pmcms")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
            candidate = candidate.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pmcms")
    }

    /// A temporary folder with a SQLite store in it, and `pmcms` run there.
    struct Folder {
        let directory: URL
        let environment: [String: String]

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-pgcopy-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var env = ProcessInfo.processInfo.environment
            env["PMCMS_DB"] = directory.appendingPathComponent("pmcms.sqlite").path
            env["PMCMS_AUTHOR"] = "tester"
            env["NO_COLOR"] = "1"
            environment = env
        }

        @discardableResult
        func run(_ arguments: [String], input: String = "", env extra: [String: String] = [:]) throws -> Subprocess.Output {
            try Subprocess.run(StoreCopyTests.executable, arguments, environment: environment.merging(extra) { $1 },
                               input: Data(input.utf8), currentDirectory: directory)
        }

        /// Runs a command that must succeed.
        @discardableResult
        func must(_ arguments: [String], input: String = "", env extra: [String: String] = [:]) throws -> String {
            let result = try run(arguments, input: input, env: extra)
            try #require(result.status == 0, "pmcms \(arguments.joined(separator: " ")): \(result.stderrText)")
            return result.stdoutText
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    /// A store with a history worth copying: the fixture site imported, then edits, each
    /// workflow step, a revert, an unpublish, a schedule, settings, accounts and their log.
    static func richStore(_ folder: Folder) throws {
        let env = ["PMCMS_NOW": "2026-11-29T10:00:00Z"]
        try folder.must(["import", site.path, "--base-url", "https://www.example.org"], env: env)
        let list = try JSONSerialization.jsonObject(with: Data(try folder.must(["list", "--json"]).utf8)) as? [[String: Any]] ?? []
        let refs = list.compactMap { $0["slug"] as? String }
        try #require(refs.count >= 4, "the fixture site has at least four pages")
        try folder.must(["edit", refs[0], "--set", "body=A PMO oversees many projects.\n\nIt sets standards — «ünïcødé».", "-m", "answer"], env: env)
        try folder.must(["edit", refs[0], "--set", "summary=Short, with \"quotes\" and a tab\there.", "-m", "summary"], env: env)
        try folder.must(["submit", refs[0]], env: env)
        for step in ["approve", "publish"] { try folder.must([step, refs[0]], env: ["PMCMS_AUTHOR": "reviewer"].merging(env) { $1 }) }
        try folder.must(["edit", refs[1], "--set", "title=A new title", "-m", "retitle"], env: env)
        try folder.must(["revert", refs[1], "1", "-m", "back"], env: env)
        try folder.must(["unpublish", refs[2], "-m", "outdated"], env: env)
        try folder.must(["edit", refs[3], "--set", "body=Rewritten for the launch.", "-m", "launch copy"], env: env)
        try folder.must(["submit", refs[3]], env: env)
        try folder.must(["approve", refs[3]], env: ["PMCMS_AUTHOR": "reviewer"].merging(env) { $1 })
        try folder.must(["schedule", refs[3], "--at", "2027-01-01T09:00:00Z", "--expire", "2027-06-30T00:00:00Z", "-m", "launch"], env: env)
        try folder.must(["config", "site.title", "PM FAQ"])
        try folder.must(["user", "add", "Alice", "--role", "admin", "--password-stdin"], input: "correct horse battery\n")
        try folder.must(["user", "add", "bob", "--role", "writer", "--password-stdin"], input: "another long password\n")
        try folder.must(["user", "remove", "bob"])
    }

    @Test("SQLite → PostgreSQL → SQLite: export json --with-history is byte-identical, and verify passes on both",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func roundTrip() async throws {
        try await TestDatabase.with { database in
            let folder = try Folder()
            defer { folder.remove() }
            try Self.richStore(folder)
            let export = ["export", "json", "--all", "--with-history"]
            let now = ["PMCMS_NOW": "2026-12-01T00:00:00Z"]
            let original = try folder.must(export, env: now)
            #expect(original.contains("\"revisions\""))

            let there = try folder.run(["store", "copy", "pmcms.sqlite", database.url, "--json"])
            #expect(there.status == 0, "\(there.stderrText)")
            #expect(there.stdoutText.contains("\"revision\""), "\(there.stdoutText)")
            let verified = try folder.run(["--db", database.url, "verify"])
            #expect(verified.status == 0, "\(verified.stdoutText)\(verified.stderrText)")
            #expect(verified.stdoutText.hasPrefix("ok: "), "\(verified.stdoutText)")

            let back = try folder.run(["store", "copy", database.url, "back.sqlite"])
            #expect(back.status == 0, "\(back.stderrText)")
            let copied = try folder.must(["--db", "back.sqlite"] + export, env: now)
            #expect(copied == original, "the history exported from the copy differs")
            #expect(try folder.must(["--db", "back.sqlite", "verify"]).hasPrefix("ok: "))
            // The accounts and their log came along: the admin can still log in by name.
            #expect(try folder.must(["--db", "back.sqlite", "user", "list"]).contains("Alice"))

            // A second copy into the same database is refused: it is no longer empty.
            let again = try folder.run(["store", "copy", "pmcms.sqlite", database.url])
            #expect(again.status == 1)
            #expect(again.stderrText.contains("is not empty"), "\(again.stderrText)")
        }
    }

    @Test("search and serve take a postgres:// store (none is refused as not yet supported): with no server there, they say they cannot connect, exit 1, and touch no file")
    func searchAndServeTakePostgres() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let url = "postgres://pmcms@/pmcms?host=\(folder.directory.path)"
        for arguments in [["search", "pmo", "--db", url], ["--db", url, "search", "pmo", "--json"],
                          ["serve", "--db", url], ["--db", url, "serve", "--listen", "127.0.0.1:1"]] {
            let result = try folder.run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.stderrText)")
            #expect(result.stderrText.contains("cannot connect"), "\(result.stderrText)")
            #expect(!result.stderrText.contains("not run on PostgreSQL"), "\(result.stderrText)")
        }
        let fromEnvironment = try folder.run(["serve"], env: ["PMCMS_DB": url])
        #expect(fromEnvironment.status == 1, "\(fromEnvironment.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.directory.path).isEmpty)
    }

    @Test("A bad address exits 2 and a server that is not there exits 1, each with a message to act on")
    func connectionErrors() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let password = try folder.run(["store", "copy", "postgres://pmcms:secret@localhost/x", "out.sqlite"])
        #expect(password.status == 2)
        #expect(password.stderrText.contains("PGPASSWORD"), "\(password.stderrText)")
        let absent = try folder.run(["--db", "postgres://pmcms@/pmcms?host=\(folder.directory.path)", "verify"])
        #expect(absent.status == 1)
        #expect(absent.stderrText.contains("cannot connect"), "\(absent.stderrText)")
    }
}
