import Foundation
import Testing
import TestBackends

@Suite("End to end: importers, editors and readers at once")
struct ConcurrentWritersTests {
    /// Four writers and two readers at once, each its own process on its own connection: two
    /// importers on overlapping folders start together on a store that does not exist yet,
    /// while an editor edits with `--set --expect-rev`, a reviewer moves entries through the
    /// workflow with `--expect-rev`, and two readers export, for a bounded time. Nobody sees a
    /// locked or busy store, no landed write is lost (a stale one exits 3, and only a stale one
    /// fails), the overlapping pages are imported once, and the store verifies. On SQLite, or on
    /// PostgreSQL with `PMCMS_TEST_BACKEND=postgres` (issue 19).
    @Test("two importers, an editor, a reviewer and two readers")
    func importersEditorsAndReaders() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-race-site-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: site) }
        let all = site.appendingPathComponent("all")
        let paths = try GeneratedSite.write(count: 120, to: all, seed: 0xFEED)
        // Folder A holds the first two thirds of the pages, folder B the last two thirds: the
        // middle third is imported by both at once. Same relative paths, so the same page URLs.
        let folderA = site.appendingPathComponent("a"), folderB = site.appendingPathComponent("b")
        for (index, path) in paths.enumerated() {
            for (folder, included) in [(folderA, index < paths.count * 2 / 3), (folderB, index >= paths.count / 3)] where included {
                let target = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: all.appendingPathComponent(path), to: target)
            }
        }

        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let problems = Messages(), landed = Messages(), stale = Counter(), exports = Counter()
        let importersDone = Counter()
        let deadline = Date().addingTimeInterval(60)

        let editorsDone = Counter(), moved = Messages()
        // One thread per process, all at once: concurrentPerform would run only as many at a
        // time as there are cores, so on two cores the importers would finish before the
        // editors and readers even started.
        Self.runTogether(6) { worker in
            switch worker {
            case 0, 1:
                // The importers, started together on a store nobody has created yet.
                let folder = worker == 0 ? folderA : folderB
                do {
                    let result = try pm.run(["import", folder.path, "--base-url", GeneratedSite.baseURL])
                    if result.status != 0 { problems.add("importer \(worker): exit \(result.status): \(result.stderr)") }
                    Self.checkQuiet(result, "importer \(worker)", problems)
                } catch {
                    problems.add("importer \(worker): \(error)")
                }
                importersDone.increment()
            case 2, 3:
                // The editor (2) and the reviewer (3), on the same five entries: read an entry's
                // revision and status, then edit it or take its next workflow step with
                // --expect-rev. Keep going while the importers run, at least eight times, and
                // until two have landed (on a loaded machine the two may take turns going stale).
                var attempt = 0, writes = 0
                let mine = worker == 2 ? landed : moved
                while Date() < deadline && (importersDone.value < 2 || writes < 8 || mine.all.count < 2) {
                    attempt += 1
                    let ref = String(1 + attempt % 5)
                    guard let shown = try? pm.run(["show", ref, "--json"]) else { continue }
                    Self.checkQuiet(shown, "writer \(worker) show", problems)
                    // Before the importers have made the entry it does not exist yet: try again.
                    guard shown.status == 0, let object = try? shown.object(), let revision = object["revision"] as? Int,
                          let status = object["status"] as? String else {
                        usleep(20_000)
                        continue
                    }
                    let text = "writer \(worker) attempt \(attempt)"
                    let arguments: [String]
                    if worker == 2 {
                        arguments = ["edit", ref, "--set", "body=\(text)", "--expect-rev", String(revision)]
                    } else {
                        arguments = [Self.nextStep(from: status), ref, "-m", text, "--expect-rev", String(revision)]
                    }
                    writes += 1
                    // Each step by its own author: nobody approves their own submission.
                    guard let result = try? pm.run(arguments, env: ["PMCMS_AUTHOR": "writer-\(worker)-\(arguments[0])"]) else { continue }
                    Self.checkQuiet(result, "writer \(worker)", problems)
                    switch result.status {
                    case 0: (worker == 2 ? landed : moved).add(text)
                    case 3: stale.increment()
                    default: problems.add("writer \(worker) \(arguments[0]): exit \(result.status): \(result.stderr)")
                    }
                }
                editorsDone.increment()
            default:
                // The readers: export while the others write (the store may not exist at first).
                while Date() < deadline && (importersDone.value < 2 || editorsDone.value < 2) {
                    let format = worker == 4 ? "json" : "csv"
                    guard let result = try? pm.run(["export", format, "--all"]) else { continue }
                    Self.checkQuiet(result, "reader \(worker)", problems)
                    if result.status == 0 {
                        exports.increment()
                    } else if !result.stderr.contains("no pmcms store") {
                        problems.add("reader \(worker): exit \(result.status): \(result.stderr)")
                    }
                }
            }
        }

        print("concurrent writers (\(pm.isPostgres ? "PostgreSQL" : "SQLite")): \(landed.all.count) edits and "
              + "\(moved.all.count) workflow steps landed, \(stale.value) stale (exit 3), \(exports.value) exports")
        #expect(problems.all.isEmpty, "\(problems.all.prefix(5))")
        #expect(importersDone.value == 2)
        #expect(landed.all.count >= 2, "edits landed: \(landed.all.count), stale: \(stale.value)")
        #expect(moved.all.count >= 2, "workflow steps landed: \(moved.all.count), stale: \(stale.value)")
        #expect(exports.value >= 2, "exports finished while writers wrote: \(exports.value)")

        // No lost update: every edit that reported success is in some revision's body, every
        // workflow step in some revision's message, and there are no more of either.
        let bodies = try pm.query("SELECT body FROM revision WHERE origin = 'edit';").stdout
        for body in landed.all { #expect(bodies.contains(body), "the landed edit '\(body)' is in history") }
        let editRevisions = try pm.query("SELECT COUNT(*) FROM revision WHERE origin = 'edit';").stdout
        #expect(editRevisions.trimmingCharacters(in: .whitespacesAndNewlines) == String(landed.all.count))
        let messages = Set(try pm.query("SELECT message FROM revision WHERE origin = 'workflow';").stdout.split(separator: "\n").map(String.init))
        for step in moved.all { #expect(messages.contains(step), "the landed workflow step '\(step)' is in history") }
        let workflowRevisions = try pm.query("SELECT COUNT(*) FROM revision WHERE origin = 'workflow';").stdout
        #expect(workflowRevisions.trimmingCharacters(in: .whitespacesAndNewlines) == String(moved.all.count))

        // Each page was imported once: the same entries as one import of all the pages.
        let reference = try PMCMSRun()
        defer { reference.cleanup() }
        #expect(try reference.run(["import", all.path, "--base-url", GeneratedSite.baseURL]).status == 0)
        let keys = "SELECT import_key, kind FROM entry ORDER BY import_key;"
        #expect(try pm.query(keys).stdout == reference.query(keys).stdout)
        // And the same content at each entry's head, except where an editor changed it. (The
        // number of import revisions may differ: when a card of an article is imported before
        // the article's own page, the page then adds a revision.)
        let heads = """
            SELECT e.import_key, r.title, r.body, r.summary, r.edited_at FROM entry e
            JOIN revision r ON r.entry_id = e.id AND r.number = e.head
            WHERE NOT EXISTS (SELECT 1 FROM revision x WHERE x.entry_id = e.id AND x.origin = 'edit')
            ORDER BY e.import_key;
            """
        let raced = try pm.query(heads).stdout.split(separator: "\n")
        let expected = Set(try reference.query(heads).stdout.split(separator: "\n"))
        #expect(raced.count > 100)
        for row in raced { #expect(expected.contains(row), "\(row.prefix(200))") }
        let slugs = try pm.query("SELECT COUNT(DISTINCT slug), COUNT(*) FROM entry;").stdout.split(separator: "|")
        #expect(slugs.count == 2 && slugs[0] == slugs[1].prefix { $0.isNumber }, "slugs are unique")
        try CrashSafetyTests.expectSound(pm, "after the race")
    }

    /// The workflow command that moves an entry on from `status` (the reviewer's next step).
    static func nextStep(from status: String) -> String {
        switch status {
        case "draft": "submit"
        case "in_review": "approve"
        case "approved": "publish"
        case "published": "unpublish"
        default: "restore"
        }
    }

    /// Runs `count` workers on threads of their own and waits for all of them.
    static func runTogether(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for worker in 0..<count {
            group.enter()
            let thread = Thread {
                body(worker)
                group.leave()
            }
            thread.start()
        }
        group.wait()
    }

    /// No message about a locked or busy database reaches the user.
    static func checkQuiet(_ result: PMCMSRun.Result, _ who: String, _ problems: Messages) {
        let text = (result.stdout + result.stderr).lowercased()
        if text.contains("locked") || text.contains("busy") { problems.add("\(who): \(result.stderr)") }
    }
}
