import Foundation
import Testing
import TestBackends

@Suite("End to end: core commands")
struct FoundationTests {
    @Test("new, the workflow to published, then an edit is a draft while the published revision stays live")
    func doneWhen() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let created = try pm.run(["new", "--kind", "question", "--title", "Q?", "--body-file", "-"], input: "A.")
        #expect(created.status == 0, "\(created.stderr)")
        for command in ["submit", "approve", "publish"] {
            let result = try pm.run([command, "1"])
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        var shown = try pm.run(["show", "1", "--json"]).object()
        #expect(shown["status"] as? String == "published")
        #expect(shown["revision"] as? Int == 4)
        #expect(shown["live_revision"] as? Int == 4)
        #expect(shown["body_html"] as? String == "<p>A.</p>\n")

        let edit = try pm.run(["edit", "1", "--body-file", "-", "-m", "reword"], input: "B.")
        #expect(edit.status == 0, "\(edit.stderr)")
        shown = try pm.run(["show", "1", "--json"]).object()
        #expect(shown["revision"] as? Int == 5)
        #expect(shown["live_revision"] as? Int == 4)
        #expect(shown["status"] as? String == "draft")

        let stale = try pm.run(["edit", "1", "--set", "title=Q2?", "--expect-rev", "4"])
        #expect(stale.status == 3)
        #expect(stale.stderr.contains("pmcms diff"))
        shown = try pm.run(["show", "1", "--json"]).object()
        #expect(shown["revision"] as? Int == 5)
        #expect(shown["title"] as? String == "Q?")

        let text = try pm.run(["show", "1"])
        #expect(text.stdout.contains("live: r4 · latest: r5 (draft)"))
    }

    @Test("the sqlite3 CLI cannot UPDATE a revision: the trigger's message", .sqliteOnly("the sqlite3 CLI against SQLite's trigger"))
    func triggerThroughSQLiteCLI() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        try pm.run(["new", "--kind", "question", "--title", "Q?"])
        let update = try pm.query("UPDATE revision SET title = 'x' WHERE number = 1;")
        #expect(update.status != 0)
        #expect(update.stderr.contains("revisions are append-only"))
        let delete = try pm.query("DELETE FROM revision;")
        #expect(delete.status != 0)
        #expect(try pm.query("SELECT title FROM revision;").stdout == "Q?\n")
    }

    @Test("global options before the command, $PMCMS_DB and --author")
    func globalOptions() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let other = pm.directory.appendingPathComponent("other.sqlite").path
        #expect(try pm.run(["--db", other, "--author", "ana", "new", "--kind", "article", "--title", "T"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: other))
        #expect(!FileManager.default.fileExists(atPath: pm.storePath))
        let listed = try pm.run(["list", "--db", other, "--json"])
        let entries = try #require(try listed.json() as? [[String: Any]])
        #expect(entries.count == 1)
        let author = try pm.run(["new", "--kind", "article", "--title", "U"], env: ["PMCMS_AUTHOR": "bo"])
        #expect(author.status == 0)
        #expect(try pm.query("SELECT author FROM revision;").stdout == "bo\n")
    }

    @Test("exit codes: 1 for an unknown entry or an illegal transition, 2 for usage errors")
    func exitCodes() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        try pm.run(["new", "--kind", "question", "--title", "Q?"])
        let unknown = try pm.run(["show", "nope"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no entry 'nope'"))
        let illegal = try pm.run(["publish", "1"])
        #expect(illegal.status == 1)
        #expect(illegal.stderr.contains("cannot publish"))
        #expect(try pm.run(["reject", "1"]).status == 2)
        #expect(try pm.run(["list", "--kind", "poem"]).status == 2)
        #expect(try pm.run(["edit", "1", "--set", "colour=red"]).status == 2)
        #expect(try pm.run(["frobnicate"]).status == 2)
        let missing = try pm.run(["list", "--db", pm.directory.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("pmcms --db"))
    }

    @Test("every command's help has an abstract, a discussion and an example")
    func helpTexts() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let root = try pm.run(["--help"])
        #expect(root.status == 0)
        let commands = root.stdout.components(separatedBy: "SUBCOMMANDS:").last?
            .split(separator: "\n").compactMap { line -> String? in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                // Two spaces start a command; deeper lines continue the abstract above them.
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = trimmed.split(separator: " ").first else { return nil }
                return String(name)
            } ?? []
        #expect(commands.count >= 10)
        for command in commands where command != "help" && !command.hasPrefix("See") {
            let help = try pm.run([command, "--help"])
            #expect(help.status == 0, "\(command)")
            #expect(help.stdout.contains("OVERVIEW:"), "\(command)")
            #expect(help.stdout.lowercased().contains("example"), "\(command) has no example")
        }
    }

    @Test("config keeps site settings and refuses bad values")
    func config() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["config", "site.url", "https://www.example.org"]).status == 0)
        #expect(try pm.run(["config", "site.url"]).stdout == "https://www.example.org\n")
        #expect(try pm.run(["config", "site.url", "ftp:/x"]).status == 2)
        #expect(try pm.run(["config", "site.title"]).status == 1)
        #expect(try pm.run(["config", "nope.key", "x"]).status == 2)
    }
}
