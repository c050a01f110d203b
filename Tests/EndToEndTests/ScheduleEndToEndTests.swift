import Foundation
import Testing
import TestBackends

/// `pmcms schedule` and `pmcms publish-due` as cron, a timer or an editor runs them, times given
/// with `--now` (publish-due) and `PMCMS_NOW` (exports), never the wall clock.
@Suite("Scheduled publishing, end to end")
struct ScheduleEndToEndTests {
    /// A store with the fixture site imported and `count` extra questions, each approved.
    static func store(questions count: Int = 0) throws -> PMCMSRun {
        let pm = try PMCMSRun()
        try #require(try pm.run(["init"]).status == 0)
        for (key, value) in [("site.title", "Scheduled FAQ"), ("site.url", "https://www.example.org/")] {
            try #require(try pm.run(["config", key, value]).status == 0)
        }
        for index in 0..<count {
            let title = "Question \(index + 1)?"
            try #require(try pm.run(["new", "--kind", "question", "--title", title, "--set", "body=Answer \(index + 1).", "--set", "edited_at=2026-11-20"]).status == 0)
            let slug = "question-\(index + 1)"
            try #require(try pm.run(["submit", slug]).status == 0)
            try #require(try pm.run(["approve", slug]).status == 0)
        }
        return pm
    }

    @Test("schedule, then publish-due early, on time and again; every place shows it")
    func scheduleAndPublish() throws {
        let pm = try Self.store(questions: 1)
        defer { pm.cleanup() }
        let scheduled = try pm.run(["schedule", "question-1", "--at", "2026-12-01T10:00:00+01:00", "--expire", "2026-12-31", "-m", "launch"])
        #expect(scheduled.status == 0, "\(scheduled.stderr)")
        #expect(scheduled.stdout == "question-1: scheduled: publish 2026-12-01T09:00:00Z · expire 2026-12-31T00:00:00Z (r4)\n")

        let show = try pm.run(["show", "question-1"])
        #expect(show.stdout.contains("schedule: publish 2026-12-01T09:00:00Z · expire 2026-12-31T00:00:00Z"))
        let json = try pm.run(["show", "question-1", "--json"]).object()
        #expect(json["publish_at"] as? String == "2026-12-01T09:00:00Z")
        #expect(json["expire_at"] as? String == "2026-12-31T00:00:00Z")
        let list = try pm.run(["list", "--status", "scheduled"])
        #expect(list.stdout.contains("question-1") && list.stdout.contains("publish 2026-12-01T09:00:00Z"))
        #expect(try pm.run(["list", "--status", "published"]).stdout.isEmpty)
        #expect(try pm.run(["review"]).stdout.contains("Scheduled (1)"))
        let history = try pm.run(["history", "question-1"]).stdout
        #expect(history.contains("[publish 2026-12-01 09:00:00Z] [expire 2026-12-31 00:00:00Z]") && history.contains("launch"))
        #expect(try pm.run(["log"]).stdout.contains("[publish 2026-12-01 09:00:00Z]"))
        let diff = try pm.run(["diff", "question-1", "3", "4"]).stdout
        #expect(diff.contains("publish_at") && diff.contains("2026-12-01T09:00:00Z"), "\(diff)")

        let early = try pm.run(["publish-due", "--now", "2026-12-01T08:59:59Z"])
        #expect(early.status == 0)
        #expect(early.stdout == "at 2026-12-01T08:59:59Z: 0 published, 0 expired, 0 lapsed, 0 not published\n")
        let dry = try pm.run(["publish-due", "--now", "2026-12-01T09:00:00Z", "--dry-run"])
        #expect(dry.stdout.contains("question-1: would be published"))
        #expect(try pm.run(["show", "question-1", "--json"]).object()["status"] as? String == "approved")

        let onTime = try pm.run(["publish-due", "--now", "2026-12-01T09:00:00Z", "--json"])
        #expect(onTime.status == 0)
        let report = try onTime.object()
        #expect((report["published"] as? [[String: Any]])?.map { $0["slug"] as? String } == ["question-1"])
        let after = try pm.run(["show", "question-1", "--json"]).object()
        #expect(after["status"] as? String == "published")
        #expect(after["live_revision"] as? Int == 5)
        #expect(after["publish_at"] == nil, "the publication time is fulfilled")
        #expect(after["expire_at"] as? String == "2026-12-31T00:00:00Z")

        let again = try pm.run(["publish-due", "--now", "2026-12-01T09:01:00Z"])
        #expect(again.stdout.hasPrefix("at 2026-12-01T09:01:00Z: 0 published"))
        #expect(try pm.run(["history", "question-1", "--json"]).json() is [Any])
        #expect(try pm.query("SELECT COUNT(*) FROM revision").stdout == "5\n")
    }

    @Test("refusals: not approved (with the next step), a time without a zone, --cancel with --at")
    func refusals() throws {
        let pm = try Self.store()
        defer { pm.cleanup() }
        try #require(try pm.run(["new", "--kind", "question", "--title", "Draft?"]).status == 0)
        let draft = try pm.run(["schedule", "draft", "--at", "2026-12-01T09:00:00Z"])
        #expect(draft.status == 1)
        #expect(draft.stderr.contains("only an approved entry can be scheduled; next: `pmcms submit draft`"), "\(draft.stderr)")
        #expect(try pm.run(["schedule", "draft", "--at", "2026-12-01T09:00:00"]).status == 2)
        #expect(try pm.run(["schedule", "draft", "--at", "2026-12-01", "--cancel"]).status == 2)
        #expect(try pm.run(["schedule", "draft"]).status == 2)
        #expect(try pm.run(["publish-due", "--now", "soon"]).status == 2)
    }

    @Test("late: catches up; changed after scheduling: not published, reported, exit 1")
    func lateAndChanged() throws {
        let pm = try Self.store(questions: 2)
        defer { pm.cleanup() }
        try #require(try pm.run(["schedule", "question-1", "--at", "2026-12-01T09:00:00Z"]).status == 0)
        try #require(try pm.run(["schedule", "question-2", "--at", "2026-12-01T08:00:00Z"]).status == 0)
        try #require(try pm.run(["edit", "question-2", "--set", "body=Changed after scheduling."]).status == 0)
        #expect(try pm.run(["show", "question-2"]).stdout.contains("changed since it was scheduled at r4"))

        let late = try pm.run(["publish-due", "--now", "2026-12-03T00:00:00Z"])
        #expect(late.status == 1)
        #expect(late.stdout.contains("question-1: published (scheduled for 2026-12-01T09:00:00Z)"))
        #expect(late.stdout.contains("question-2: not published (due 2026-12-01T08:00:00Z): changed since it was scheduled at r4: the head is r5 (draft)"))
        #expect(late.stdout.hasSuffix("1 published, 0 expired, 0 lapsed, 1 not published\n"))
        #expect(try pm.run(["show", "question-2", "--json"]).object()["live_revision"] is NSNull)
        // Cancelled, it is no longer reported.
        try #require(try pm.run(["schedule", "question-2", "--cancel"]).status == 0)
        #expect(try pm.run(["publish-due", "--now", "2026-12-03T00:00:00Z"]).status == 0)
    }

    @Test("an edit of a scheduled entry says on standard error that the schedule stays but no longer covers it")
    func editOfAScheduledEntryNotes() throws {
        let pm = try Self.store(questions: 2)
        defer { pm.cleanup() }
        try #require(try pm.run(["schedule", "question-1", "--at", "2026-12-01T09:00:00Z"]).status == 0)
        let note = "pmcms: note: 'question-1' was scheduled to publish at 2026-12-01T09:00:00Z (r4); the schedule stays but does not cover this edit, "
            + "so publish-due will not publish it: submit and approve it, then `pmcms schedule question-1 --at 2026-12-01T09:00:00Z` again\n"
        let flags = try pm.run(["edit", "question-1", "--set", "body=Changed after scheduling."])
        #expect(flags.status == 0)
        #expect(flags.stdout == "question-1: r5; it was approved: back to draft (submit it again)\n")
        #expect(flags.stderr == note, "\(flags.stderr)")
        #expect(try pm.run(["show", "question-1", "--json"]).object()["publish_at"] as? String == "2026-12-01T09:00:00Z", "the store carries it")

        // In the editor too; an unscheduled entry, or an edit that changes nothing, gets no note.
        try #require(try pm.run(["schedule", "question-2", "--at", "2026-12-02T09:00:00Z"]).status == 0)
        let editor = try pm.script("edit.sh", "sed -i 's/^Answer 2.$/Answer 2, edited./' \"$1\"\n")
        let edited = try pm.run(["edit", "question-2"], env: ["EDITOR": editor])
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(edited.stderr.contains("pmcms: note: 'question-2' was scheduled to publish at 2026-12-02T09:00:00Z (r4)"), "\(edited.stderr)")
        try #require(try pm.run(["schedule", "question-2", "--cancel"]).status == 0)
        #expect(try pm.run(["edit", "question-2", "--set", "body=Again."]).stderr.isEmpty)
        #expect(try pm.run(["edit", "question-1", "--set", "body=Changed after scheduling."]).stderr.isEmpty, "no change, no note")
    }

    @Test("publish-due --dry-run on a store of an older pmcms says it needs migrating, and writes nothing", .sqliteOnly("makes a SQLite store of an older version with sqlite3"))
    func dryRunOnAnOlderStore() throws {
        let pm = try Self.store(questions: 1)
        defer { pm.cleanup() }
        // The store as the pmcms before the newest migration left it.
        let newest = "0011_import_fetched_at"
        try #require(try pm.query("ALTER TABLE entry DROP COLUMN import_fetched_at; DELETE FROM grdb_migrations WHERE identifier = '\(newest)';").status == 0)
        let dry = try pm.run(["publish-due", "--dry-run", "--now", "2026-12-01T09:00:00Z"])
        #expect(dry.status != 0)
        #expect(dry.stderr.contains("was made by an older pmcms and needs migrating to this version (missing: \(newest))"), "\(dry.stderr)")
        #expect(dry.stderr.contains("`pmcms --db \(pm.storePath) init` migrates it"), "\(dry.stderr)")
        #expect(!dry.stderr.contains("no pmcms store"), "\(dry.stderr)")
        #expect(try pm.query("SELECT COUNT(*) FROM grdb_migrations WHERE identifier = '\(newest)';").stdout == "0\n", "a dry run writes nothing")
        #expect(try pm.run(["init"]).status == 0)
        #expect(try pm.run(["publish-due", "--dry-run", "--now", "2026-12-01T09:00:00Z"]).status == 0)
    }

    @Test("an expiry and a publication due in one run: the expiry first, both in the log")
    func expiryThenPublish() throws {
        let pm = try Self.store(questions: 2)
        defer { pm.cleanup() }
        try #require(try pm.run(["publish", "question-1"]).status == 0)
        try #require(try pm.run(["schedule", "question-1", "--expire", "2026-12-01T10:00:00Z"]).status == 0)
        try #require(try pm.run(["schedule", "question-2", "--at", "2026-12-01T10:00:00Z"]).status == 0)
        let run = try pm.run(["publish-due", "--now", "2026-12-01T10:00:00Z"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "question-1: taken off the site (expired 2026-12-01T10:00:00Z) (r6)")
        #expect(lines.dropFirst().first == "question-2: published (scheduled for 2026-12-01T10:00:00Z) (r5)")
        #expect(try pm.run(["show", "question-1", "--json"]).object()["live_revision"] is NSNull)
    }

    /// Entry A is live and expires at 10:00; entry B is scheduled for 11:00. At 10:05, before
    /// `publish-due` has run at all, no export shows either; at 09:55 A is there; after
    /// publish-due at 11:00, B is there and A is gone.
    @Test("exports at a time between two schedules, whether or not publish-due has run")
    func exportsBetweenTwoSchedules() throws {
        let pm = try Self.store(questions: 3)
        defer { pm.cleanup() }
        try #require(try pm.run(["publish", "question-1"]).status == 0)
        try #require(try pm.run(["schedule", "question-1", "--expire", "2026-12-01T10:00:00Z"]).status == 0)
        try #require(try pm.run(["schedule", "question-2", "--at", "2026-12-01T11:00:00Z"]).status == 0)
        try #require(try pm.run(["publish", "question-3"]).status == 0)
        let formats = ["json", "ndjson", "csv", "rss", "atom", "jsonfeed", "faq-jsonld", "sitemap", "wxr"]
        func exported(at now: String) throws -> [String: String] {
            var out: [String: String] = [:]
            for format in formats {
                let result = try pm.run(["export", format], env: ["PMCMS_NOW": now])
                #expect(result.status == 0, "\(format): \(result.stderr)")
                out[format] = result.stdout
            }
            let hugo = pm.directory.appendingPathComponent("hugo-\(now.prefix(13))").path
            #expect(try pm.run(["export", "hugo", hugo], env: ["PMCMS_NOW": now]).status == 0)
            out["hugo"] = ((try? FileManager.default.contentsOfDirectory(atPath: hugo + "/questions")) ?? []).sorted().joined(separator: "\n")
            return out
        }
        // Each format names an entry by its slug (in a URL or a field) or by its title.
        func has(_ text: String, _ n: Int) -> Bool { text.contains("question-\(n)") || text.contains("Question \(n)?") }
        for (format, text) in try exported(at: "2026-12-01T09:55:00Z") {
            #expect(has(text, 1), "\(format) at 09:55 shows what expires at 10:00")
            #expect(!has(text, 2), "\(format) at 09:55 does not show what is due at 11:00")
            #expect(has(text, 3), "\(format)")
        }
        for (format, text) in try exported(at: "2026-12-01T10:05:00Z") {
            #expect(!has(text, 1), "\(format) at 10:05 still shows what expired at 10:00")
            #expect(!has(text, 2), "\(format) at 10:05 shows what is due at 11:00")
            #expect(has(text, 3), "\(format)")
        }
        #expect(try pm.run(["publish-due", "--now", "2026-12-01T11:00:00Z"]).status == 0)
        for (format, text) in try exported(at: "2026-12-01T11:00:00Z") {
            #expect(!has(text, 1), "\(format)")
            #expect(has(text, 2), "\(format) after publish-due shows what went live")
        }
    }

    @Test("--all: WXR gives a scheduled entry WordPress's future status and date; Hugo its publishDate and expiryDate")
    func wxrAndHugoOfAScheduledEntry() throws {
        let pm = try Self.store(questions: 1)
        defer { pm.cleanup() }
        try #require(try pm.run(["schedule", "question-1", "--at", "2026-12-01T09:00:00Z", "--expire", "2026-12-31T00:00:00Z"]).status == 0)
        let wxr = try pm.run(["export", "wxr", "--all"]).stdout
        #expect(wxr.contains("<wp:status><![CDATA[future]]></wp:status>"), "\(wxr)")
        #expect(wxr.contains("<wp:post_date><![CDATA[2026-12-01 09:00:00]]></wp:post_date>"))
        let hugo = pm.directory.appendingPathComponent("hugo").path
        #expect(try pm.run(["export", "hugo", hugo, "--all"]).status == 0)
        let page = try String(contentsOfFile: hugo + "/questions/question-1.md", encoding: .utf8)
        #expect(page.contains("publishDate: '2026-12-01T09:00:00Z'") && page.contains("expiryDate: '2026-12-31T00:00:00Z'"), "\(page)")
        #expect(page.contains("draft: false"))
    }

    /// Two `pmcms publish-due` processes started together on one store, several times: every
    /// due entry is published exactly once (one publication revision, reported by one process).
    @Test("two publish-due processes at once publish each entry once")
    func twoProcessesAtOnce() throws {
        let count = 12
        for trial in 0..<4 {
            let pm = try Self.store(questions: count)
            defer { pm.cleanup() }
            for index in 1...count {
                try #require(try pm.run(["schedule", "question-\(index)", "--at", "2026-12-01T09:\(String(format: "%02d", index)):00Z"]).status == 0)
            }
            let results = Messages()
            ConcurrentWritersTests.runTogether(2) { _ in
                do {
                    let result = try pm.run(["publish-due", "--now", "2026-12-01T10:00:00Z", "--json"])
                    results.add(result.status == 0 ? result.stdout : "exit \(result.status): \(result.stderr)")
                } catch {
                    results.add("\(error)")
                }
            }
            var reported: [String] = []
            for output in results.all {
                let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
                let published = try #require(object?["published"] as? [[String: Any]], "trial \(trial): \(output)")
                reported += published.compactMap { $0["slug"] as? String }
            }
            #expect(reported.sorted() == (1...count).map { "question-\($0)" }.sorted(), "trial \(trial): each entry reported once")
            let perEntry = try pm.query("SELECT entry_id, COUNT(*) FROM revision WHERE message LIKE 'published as scheduled%' GROUP BY entry_id HAVING COUNT(*) <> 1").stdout
            #expect(perEntry.isEmpty, "trial \(trial): entries published more than once: \(perEntry)")
            #expect(try pm.query("SELECT COUNT(*) FROM revision WHERE message LIKE 'published as scheduled%'").stdout == "\(count)\n")
        }
    }

    @Test("check reports a schedule more than 15 minutes overdue")
    func checkOverdue() throws {
        let pm = try Self.store(questions: 2)
        defer { pm.cleanup() }
        try #require(try pm.run(["schedule", "question-1", "--at", "2020-01-01T00:00:00Z"]).status == 0)
        try #require(try pm.run(["schedule", "question-2", "--at", "2999-01-01T00:00:00Z"]).status == 0)
        let check = try pm.run(["check"])
        #expect(check.stdout.contains("overdue-schedule (1)"), "\(check.stdout)")
        #expect(check.stdout.contains("question-1: was due to be published at 2020-01-01T00:00:00Z"))
        #expect(!check.stdout.contains("question-2:"))
    }

    @Test("serve runs publish-due while it runs and lists scheduled entries on its queue page", .untilSearchServeOnPostgres)
    func serveRunsPublishDue() throws {
        let pm = try Self.store(questions: 2)
        defer { pm.cleanup() }
        try #require(try pm.run(["schedule", "question-1", "--at", "2020-01-01T00:00:00Z"]).status == 0)
        try #require(try pm.run(["schedule", "question-2", "--at", "2999-01-01T00:00:00Z"]).status == 0)
        let (process, _, banner) = try ServeTests.startServer(pm)
        let link = banner.split(separator: "\n").first { $0.hasPrefix("open ") }.map { String($0.dropFirst(5)) }
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        var status = ""
        for _ in 0..<50 {  // bounded: the first run comes at start
            status = (try pm.run(["show", "question-1", "--json"]).object()["status"] as? String) ?? ""
            if status == "published" { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(status == "published", "serve published the overdue entry")
        #expect(try pm.run(["show", "question-2", "--json"]).object()["status"] as? String == "approved")
        let login = try #require(link)
        let tokenRange = try #require(login.range(of: "/login?token="))
        let base = String(login[..<tokenRange.lowerBound])
        // The login link sets the session cookie, kept in a jar as a browser keeps it.
        let cookie = pm.directory.appendingPathComponent("cookies.txt").path
        #expect(try ServeTests.curl(login, cookie: nil, jar: cookie).status == 303)
        let queue = try ServeTests.curl(base + "/", cookie: cookie)
        #expect(queue.status == 200)
        #expect(queue.body.contains("<h2>Scheduled</h2>") && queue.body.contains("2999-01-01T00:00:00Z"), "\(queue.body)")
        let entry = try ServeTests.curl(base + "/entries/question-2", cookie: cookie)
        #expect(entry.body.contains("goes live") && entry.body.contains("2999-01-01T00:00:00Z"), "\(entry.body)")
    }
}
