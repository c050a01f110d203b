import Foundation
import Testing
import TestBackends

/// Behaviours the README promises, driven through the real binary.
@Suite("End to end: verify finds each broken invariant")
struct VerifyCLITests {
    /// A store with two published questions, one with links and an edit, that verifies clean.
    static func store() throws -> PMCMSRun {
        let pm = try PMCMSRun()
        #expect(try pm.run(["new", "--kind", "question", "--title", "What is a PMO?", "--body-file", "-"], input: "A PMO sets standards.").status == 0)
        #expect(try pm.run(["new", "--kind", "question", "--title", "Is PMO senior?", "--body-file", "-"], input: "Often.").status == 0)
        #expect(try pm.run(["edit", "2", "--set", "body=Often, [see](https://www.example.org/faq/pmo).",
                            "--set", "related=what-is-a-pmo"]).status == 0)
        for action in ["submit", "approve", "publish"] {
            for id in ["1", "2"] { #expect(try pm.run([action, id]).status == 0, "\(action) \(id)") }
        }
        let clean = try pm.run(["verify"])
        #expect(clean.status == 0, "the store verifies before it is broken: \(clean.stdout)\(clean.stderr)")
        return pm
    }

    /// Runs `sql` on the store with the append-only triggers out of the way, then puts them back
    /// exactly as they were, so that only the damage under test differs.
    static func damage(_ pm: PMCMSRun, _ sql: String) throws {
        let triggers = try pm.query("SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'revision';")
        #expect(triggers.status == 0 && triggers.stdout.contains("CREATE TRIGGER"), "\(triggers.stderr)")
        let names = try pm.query("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'revision';")
            .stdout.split(separator: "\n").map { "DROP TRIGGER \($0);" }.joined(separator: "\n")
        let result = try pm.query("BEGIN;\n\(names)\n\(sql)\n\(triggers.stdout)\nCOMMIT;")
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }

    static let cases: [(name: String, sql: String, message: String)] = [
        ("numbering gap", "DELETE FROM revision WHERE entry_id = 1 AND number = 2;", "what-is-a-pmo: revision numbers are not 1…3 (1…4)"),
        ("head pointer", "UPDATE entry SET head = 99 WHERE id = 1;", "what-is-a-pmo: head r99 does not exist"),
        ("parent", "UPDATE revision SET parent = 3 WHERE entry_id = 1 AND number = 3;", "what-is-a-pmo: r3 has parent r3, not an earlier one"),
        ("live revision", "UPDATE entry SET live = 1 WHERE id = 1;", "what-is-a-pmo: live r1 is not a published revision"),
        ("link table", "DELETE FROM link WHERE entry_id = 2;", "is-pmo-senior: the link table does not match the head's links"),
        ("upstream head", "UPDATE revision SET upstream = 1 WHERE entry_id = 1 AND number = 4;", "what-is-a-pmo: head r4 is an unmerged upstream revision"),
        ("search index", "UPDATE search SET title = 'stale' WHERE rowid = 1;", "what-is-a-pmo: the search index is out of step"),
        ("hash", "UPDATE revision SET body = 'tampered' WHERE entry_id = 1 AND number = 1;", "what-is-a-pmo: r1's hash does not match its snapshot"),
    ]

    @Test("verify exits 1 and names the problem", .sqliteOnly("breaks the store with sqlite3 past its dropped triggers"), arguments: cases.map(\.name))
    func brokenInvariant(name: String) throws {
        let pm = try Self.store()
        defer {
            // The damaged store must not fail the harness's own verify at cleanup.
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: pm.storePath + suffix) }
            pm.cleanup()
        }
        let damage = try #require(Self.cases.first { $0.name == name })
        try Self.damage(pm, damage.sql)
        let result = try pm.run(["verify"])
        #expect(result.status == 1, "\(name): exit \(result.status)")
        #expect((result.stdout + result.stderr).contains(damage.message), "\(name): \(result.stdout)\(result.stderr)")
    }
}

@Suite("End to end: backup, demo and the workflow commands")
struct PromisedCommandTests {
    @Test("backup writes a copy that verifies, also while another process holds a write open", .sqliteOnly("backup copies the SQLite file (PostgreSQL: pg_dump, BackupAdviceTests)"))
    func backup() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let site = pm.directory.appendingPathComponent("site")
        try GeneratedSite.write(count: 200, to: site, seed: 7)
        let importArguments = ["import", site.path, "--base-url", GeneratedSite.baseURL]
        // The import is stopped inside its second transaction: one batch committed, one not.
        let writer = try CrashSafetyTests.start(pm, importArguments, stoppingAt: "before-commit", 2)
        defer { writer.cleanup() }
        #expect(writer.stopped, "the import reached its second commit: \(writer.stderr)")
        let committed = try pm.query("SELECT COUNT(*) FROM entry;").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let copy = pm.directory.appendingPathComponent("copy.db").path
        let backup = try pm.run(["backup", copy])
        writer.kill()
        #expect(backup.status == 0, "\(backup.stderr)")
        let verify = try pm.run(["--db", copy, "verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let copied = try pm.run(["--db", copy, "list", "--json"])
        #expect((try copied.json() as? [Any])?.count == Int(committed), "the copy holds what was committed (\(committed) entries), nothing of the open write")
        #expect(Int(committed) ?? 0 > 0)

        // Once the writer is gone, a finished import backs up whole, and the destination must be new.
        #expect(try pm.run(importArguments).status == 0)
        let second = pm.directory.appendingPathComponent("second.db").path
        #expect(try pm.run(["backup", second]).status == 0)
        #expect(try pm.run(["--db", second, "verify"]).status == 0)
        let entries = try pm.query("SELECT COUNT(*) FROM entry;").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect((try pm.run(["--db", second, "list", "--json"]).json() as? [Any])?.count == Int(entries))
        let again = try pm.run(["backup", second])
        #expect(again.status == 1 && again.stderr.contains("exists already"), "\(again.stderr)")
    }

    @Test("pmcms demo in a fresh folder runs end to end and leaves a store that verifies")
    func demo() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        // As a new user types it: no store configured, no editor.
        let result = try pm.run(["demo"], env: ["PMCMS_DB": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("demo complete"), "\(result.stdout.suffix(500))")
        let store = pm.directory.appendingPathComponent("pmcms-demo/pmcms.sqlite").path
        #expect(FileManager.default.fileExists(atPath: store))
        let verify = try pm.run(["--db", store, "verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        for file in ["feed.xml", "atom.xml", "export.json"] {
            #expect(FileManager.default.fileExists(atPath: pm.directory.appendingPathComponent("pmcms-demo/\(file)").path), "\(file)")
        }
    }

    @Test("unpublish, archive and restore move the entry, and refuse from the wrong status")
    func workflow() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Q one?", "--body-file", "-"], input: "Answer.").status == 0)
        func status() throws -> String? { try pm.run(["show", "1", "--json"]).object()["status"] as? String }
        func live() throws -> Int? { try pm.run(["show", "1", "--json"]).object()["live_revision"] as? Int }

        let early = try pm.run(["unpublish", "1"])
        #expect(early.status == 1 && early.stderr.contains("cannot unpublish 'q-one': it is draft, and unpublish needs published"), "\(early.stderr)")
        let notArchived = try pm.run(["restore", "1"])
        #expect(notArchived.status == 1 && notArchived.stderr.contains("restore needs archived"), "\(notArchived.stderr)")
        for action in ["submit", "approve", "publish"] { #expect(try pm.run([action, "1"]).status == 0) }
        #expect(try live() == 4)

        let off = try pm.run(["unpublish", "1", "-m", "outdated"])
        #expect(off.status == 0, "\(off.stderr)")
        #expect(try status() == "draft")
        #expect(try live() == nil, "off the site")
        #expect(try pm.run(["history", "1"]).stdout.contains("outdated"))

        #expect(try pm.run(["archive", "1"]).status == 0)
        #expect(try status() == "archived")
        let twice = try pm.run(["archive", "1"])
        #expect(twice.status == 1 && twice.stderr.contains("cannot archive 'q-one': it is archived"), "\(twice.stderr)")
        let submit = try pm.run(["submit", "1"])
        #expect(submit.status == 1 && submit.stderr.contains("bring it back with `pmcms restore q-one`"), "\(submit.stderr)")

        #expect(try pm.run(["restore", "1"]).status == 0)
        #expect(try status() == "draft")
        #expect(try pm.run(["show", "1", "--json"]).object()["body"] as? String == "Answer.", "restore keeps the content")
        let revisions = try pm.query("SELECT status || ':' || origin FROM revision WHERE entry_id = 1 ORDER BY number;")
        #expect(revisions.stdout.split(separator: "\n").joined(separator: ",")
            == "draft:edit,in_review:workflow,approved:workflow,published:workflow,draft:workflow,archived:workflow,draft:workflow")
    }
}

@Suite("End to end: the harness")
struct HarnessTests {
    /// The test of the test: a store the cleanup cannot verify is reported, not passed.
    @Test("cleanup reports a verify that cannot be launched")
    func unlaunchableVerifyIsReported() throws {
        var pm = try PMCMSRun()
        #expect(try pm.run(["init"]).status == 0)
        pm.binary = pm.directory.appendingPathComponent("no-such-pmcms")
        withKnownIssue("verify could not be run") { pm.cleanup() }
        #expect(!FileManager.default.fileExists(atPath: pm.directory.path), "the folder is removed all the same")
    }
}
