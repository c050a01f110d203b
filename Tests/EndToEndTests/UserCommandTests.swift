import Foundation
import Testing
import TestBackends

/// `pmcms user add|list|passwd|remove` with the real binary: exit codes, errors on stderr,
/// `--json`, passwords never stored or shown, every change in the account log.
@Suite("pmcms user, end to end")
struct UserCommandTests {
    @Test(.sqliteOnly("drops SQLite's account_event trigger with sqlite3")) func addListPasswdRemove() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        // A new store is made by `user add`, as by `config KEY VALUE`.
        let added = try pm.run(["user", "add", "alice", "--role", "reviewer", "--password-stdin"], input: "correct horse\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "added alice (reviewer)\n")
        #expect(try pm.run(["user", "add", "sam", "--role", "writer", "--password-stdin"], input: "sam's password\r\n").status == 0)

        let list = try pm.run(["user", "list", "--json"])
        #expect(list.status == 0)
        let accounts = try #require(try list.json() as? [[String: Any]])
        #expect(accounts.map { $0["name"] as? String } == ["alice", "sam"])
        #expect(accounts.map { $0["role"] as? String } == ["reviewer", "writer"])
        #expect(accounts.allSatisfy { Set($0.keys) == ["name", "role", "created_at", "updated_at"] }, "no hash in the listing")
        #expect(!list.stdout.contains("$2b$"))
        let text = try pm.run(["user", "list"])
        #expect(text.status == 0 && text.stdout.contains("alice") && text.stdout.contains("reviewer"))
        // Global options before the group are read after its subcommand.
        #expect(try pm.run(["--db", pm.storePath, "user", "list"]).stdout == text.stdout)

        // Only a bcrypt hash is stored, never the password.
        let stored = try pm.query("SELECT password_hash FROM account WHERE name = 'alice'")
        #expect(stored.stdout.hasPrefix("$2b$12$"), "\(stored.stdout)")
        #expect(!stored.stdout.contains("correct horse"))

        // Errors: one line on stderr, nothing on stdout, the right code.
        let again = try pm.run(["user", "add", "ALICE", "--role", "admin", "--password-stdin"], input: "another password\n")
        #expect(again.status == 1 && again.stdout.isEmpty)
        #expect(again.stderr.hasPrefix("pmcms: error: there is already an account 'alice'"), "\(again.stderr)")
        let short = try pm.run(["user", "add", "bob", "--role", "writer", "--password-stdin"], input: "short\n")
        #expect(short.status == 1 && short.stderr.contains("at least 8 characters"))
        let long = try pm.run(["user", "add", "bob", "--role", "writer", "--password-stdin"], input: String(repeating: "é", count: 37) + "\n")
        #expect(long.status == 1 && long.stderr.contains("at most 72 bytes"), "bcrypt would cut it: refused instead")
        let badRole = try pm.run(["user", "add", "bob", "--role", "editor", "--password-stdin"], input: "long enough\n")
        #expect(badRole.status == 2 && badRole.stderr.contains("editor"))
        let badName = try pm.run(["user", "add", "bob smith", "--role", "writer", "--password-stdin"], input: "long enough\n")
        #expect(badName.status == 2 && badName.stderr.contains("not an account name"))
        // No terminal and no --password-stdin: a usage error that says what to pass.
        let noTerminal = try pm.run(["user", "add", "bob", "--role", "writer"])
        #expect(noTerminal.status == 2 && noTerminal.stderr.contains("--password-stdin"))
        let json = try pm.run(["--db", pm.directory.appendingPathComponent("none.sqlite").path, "user", "list", "--json"])
        #expect(json.status == 1 && json.stdout.isEmpty)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any])
        #expect(error["exit_code"] as? Int == 1)

        // passwd changes the hash; remove removes; unknown names are errors.
        #expect(try pm.run(["user", "passwd", "alice", "--password-stdin"], input: "battery staple\n").status == 0)
        #expect(try pm.query("SELECT password_hash FROM account WHERE name = 'alice'").stdout != stored.stdout)
        let unknown = try pm.run(["user", "passwd", "nobody", "--password-stdin"], input: "long enough\n")
        #expect(unknown.status == 1 && unknown.stderr.contains("no account 'nobody'"))
        #expect(try pm.run(["user", "remove", "sam"]).status == 0)
        #expect(try pm.run(["user", "remove", "sam"]).status == 1)
        #expect((try pm.run(["user", "list", "--json"]).json() as? [[String: Any]])?.count == 1)

        // Every change is in the account log, with who made it (--author / $PMCMS_AUTHOR).
        let log = try pm.query("SELECT account || ' ' || action || ' ' || by FROM account_event ORDER BY id")
        #expect(log.stdout == "alice add tester\nsam add tester\nalice passwd tester\nsam remove tester\n")
        // ... which cannot be rewritten.
        #expect(try pm.query("DELETE FROM account_event").status != 0)
        #expect(try pm.run(["verify"]).status == 0)
        // ... and verify says so when its guard is gone.
        #expect(try pm.query("DROP TRIGGER account_event_append_only_delete").status == 0)
        let damaged = try pm.run(["verify"])
        #expect(damaged.status == 1 && damaged.stdout.contains("account_event_append_only_delete"), "\(damaged.stdout)")
        try #require(try pm.query("""
            CREATE TRIGGER account_event_append_only_delete BEFORE DELETE ON account_event
            BEGIN SELECT RAISE(ABORT, 'account events are append-only'); END;
            """).status == 0)
    }

    @Test(.untilSearchServeOnPostgres) func serveBeyondLoopbackNeedsAccountsAndThenLogsInByAccount() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        try #require(try pm.run(["init"]).status == 0)
        let refused = try pm.run(["serve", "--listen", "0.0.0.0:8080"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("pmcms user add"), "\(refused.stderr)")
        #expect(try pm.run(["user", "add", "alice", "--role", "admin", "--password-stdin"], input: "correct horse\n").status == 0)

        // With an account, the banner names no token, and the form logs in.
        let (process, base, banner) = try ServeTests.startServer(pm, marker: "log in")
        #expect(!banner.contains("token"))
        defer { if process.isRunning { process.terminate() } }
        let jar = pm.directory.appendingPathComponent("cookies.txt").path
        var page = ServeTests.Result(status: 0, body: "")
        for _ in 0..<20 {  // bounded: the server may take a moment to accept
            page = try ServeTests.curl(base + "/login", cookie: nil, jar: jar)
            if page.status != 0 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(page.status == 200)
        // Each login form comes with a token of its own, in the form and in a cookie.
        let wrong = try ServeTests.curl(base + "/login", cookie: jar, jar: jar, form: ["csrf=\(try ServeTests.csrf(in: page.body))", "name=alice", "password=wrong password"])
        #expect(wrong.status == 401)
        let right = try ServeTests.curl(base + "/login", cookie: jar, jar: jar, form: ["csrf=\(try ServeTests.csrf(in: wrong.body))", "name=alice", "password=correct horse"])
        #expect(right.status == 303)
        let queue = try ServeTests.curl(base + "/", cookie: jar)
        #expect(queue.status == 200 && queue.body.contains("alice · admin"))
        process.terminate()
        process.waitUntilExit()
    }

    /// The CLI applies the self-approval rule when its author is an account of the store; a
    /// store without accounts trusts its user, as before.
    @Test func cliApproveOfOnesOwnChangeIsRefusedForAnAccount() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        try #require(try pm.run(["new", "--kind", "question", "--title", "Who approves?", "--set", "body=Not me."]).status == 0)
        try #require(try pm.run(["submit", "who-approves"]).status == 0)
        // tester wrote it, and there are no accounts: the CLI trusts its user.
        #expect(try pm.run(["approve", "who-approves"]).status == 0)

        try #require(try pm.run(["user", "add", "tester", "--role", "reviewer", "--password-stdin"], input: "correct horse\n").status == 0)
        try #require(try pm.run(["edit", "who-approves", "--set", "body=Still not me.", "-m", "again"]).status == 0)
        try #require(try pm.run(["submit", "who-approves"]).status == 0)
        let refused = try pm.run(["approve", "who-approves"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "pmcms: error: tester cannot approve 'who-approves': tester wrote part of the change; another reviewer approves it (or allow it for everyone with `pmcms config review.self_approve true`)\n")
        // Someone else may; so may the writer once the setting allows it.
        #expect(try pm.run(["--author", "rita", "approve", "who-approves"]).status == 0)
        try #require(try pm.run(["edit", "who-approves", "--set", "body=Me, now.", "-m", "third"]).status == 0)
        try #require(try pm.run(["submit", "who-approves"]).status == 0)
        #expect(try pm.run(["config", "review.self_approve", "maybe"]).status == 2)
        #expect(try pm.run(["config", "review.self_approve", "true"]).status == 0)
        #expect(try pm.run(["approve", "who-approves"]).status == 0)
        // The setting is the team's, not the site's: exports do not carry it.
        let export = try pm.run(["export", "json", "--all"])
        #expect(!export.stdout.contains("self_approve"))
    }
}
