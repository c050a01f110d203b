import Foundation
import Testing
@testable import PMCMS
import TestBackends

/// Issue 5's "Done when", run through the built binary as a user would.
@Suite("History end to end")
struct HistoryEndToEndTests {
    static let slug = "is-pmo-more-senior-than-project-manager"
    static let imported = "Line one.\nLine two.\nLine three.\n"

    /// A store with an imported, published entry (r1 at 10:00, created in-process because the
    /// import command lives elsewhere), two edits, another entry, and a revert to r1.
    static func doneWhenStore() throws -> PMCMSRun {
        let run = try PMCMSRun()
        #expect(try run.run(["init"]).status == 0)
        let store = try TestBackend.open(run.storePath)
        _ = try store.write { db in
            try ContentStore.insertEntry(
                db, kind: .question,
                content: Content(status: .published, title: "Is PMO more senior than project manager?", body: imported),
                author: "importer", origin: .import, message: "imported", importKey: nil, now: "2026-11-29T10:00:00Z")
        }
        try expectOK(run, ["edit", slug, "--body-file", "-", "-m", "first edit"],
                     input: "Line one.\nLine two, edited.\nLine three.\n", at: "2026-11-29T10:01:00Z")
        try expectOK(run, ["edit", slug, "--body-file", "-", "-m", "second edit"],
                     input: "Line one.\nLine two, edited.\nLine three.\nLine four.\n", at: "2026-11-29T10:02:00Z")
        try expectOK(run, ["new", "--kind", "question", "--title", "Another question"], at: "2026-11-29T10:02:30Z")
        let revert = try expectOK(run, ["revert", slug, "1"], at: "2026-11-29T10:03:00Z")
        #expect(revert.stdout == "\(slug): r4 reverts to r1 (draft; live stays r1)\n")
        return run
    }

    @discardableResult
    static func expectOK(_ run: PMCMSRun, _ arguments: [String], input: String? = nil, at time: String? = nil) throws -> PMCMSRun.Result {
        let result = try run.run(arguments, input: input, env: time.map { ["PMCMS_NOW": $0] } ?? [:])
        #expect(result.status == 0, "pmcms \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    @Test func doneWhen() throws {
        let run = try Self.doneWhenStore()
        defer { run.cleanup() }

        // history: four revisions, import, edit, edit, revert; r1 is still what the site shows.
        let history = try Self.expectOK(run, ["history", Self.slug, "--json"])
        let revisions = try #require(try history.json() as? [[String: Any]])
        #expect(revisions.map { $0["origin"] as? String } == ["import", "edit", "edit", "revert"])
        #expect(revisions.map { $0["live"] as? Bool } == [true, false, false, false])
        #expect(revisions.map { $0["lines_added"] as? Int } == [3, 1, 1, 1])
        let text = try Self.expectOK(run, ["history", Self.slug]).stdout
        #expect(text == """
            r1  2026-11-29 10:00:00Z  importer  import    published  +3 -0  [live]    imported
            r2  2026-11-29 10:01:00Z  tester    edit      draft      +1 -1            first edit
            r3  2026-11-29 10:02:00Z  tester    edit      draft      +1 -0            second edit
            r4  2026-11-29 10:03:00Z  tester    revert    draft      +1 -2  [latest]  revert to r1

            """)

        // diff 1 4: the revert restored the body; only the status differs (a draft of r1's text).
        let back = try Self.expectOK(run, ["diff", Self.slug, "1", "4", "--json"]).object()
        let body = try #require(back["body"] as? [String: Any])
        #expect(body["changed"] as? Bool == false)
        let backText = try Self.expectOK(run, ["diff", Self.slug, "1", "4"]).stdout
        #expect(!backText.contains("@@"))
        #expect(backText.contains("status: published → draft"))

        // diff 2 3: exactly the second edit.
        #expect(try Self.expectOK(run, ["diff", Self.slug, "2", "3"]).stdout == """
            diff \(Self.slug) r2 → r3
            --- r2 · 2026-11-29T10:01:00Z · tester · edit · "first edit"
            +++ r3 · 2026-11-29T10:02:00Z · tester · edit · "second edit"
            edited_at: 2026-11-29T10:01:00Z → 2026-11-29T10:02:00Z
            @@ -1,3 +1,4 @@
             Line one.
             Line two, edited.
             Line three.
            +Line four.

            """)

        // blame: untouched lines stay with the import; what the revert brought back is the revert's.
        let blame = try Self.expectOK(run, ["blame", Self.slug, "--json"]).object()
        let lines = try #require(blame["lines"] as? [[String: Any]])
        #expect(lines.map { $0["text"] as? String } == ["Line one.", "Line two.", "Line three."])
        #expect(lines.map { $0["revision"] as? Int } == [1, 4, 1])
        #expect(lines.map { $0["origin"] as? String } == ["import", "revert", "import"])
        #expect(lines.map { $0["author"] as? String } == ["importer", "tester", "importer"])
        let blameText = try Self.expectOK(run, ["blame", Self.slug]).stdout
        #expect(blameText.contains("r4  tester    2026-11-29  revert    2│ Line two."))

        // log --limit 3: the three newest changes in the whole store.
        let log = try Self.expectOK(run, ["log", "--limit", "3", "--json"])
        let changes = try #require(try log.json() as? [[String: Any]])
        #expect(changes.map { "\($0["slug"] as? String ?? "?") r\($0["number"] as? Int ?? 0)" } == [
            "\(Self.slug) r4", "another-question r1", "\(Self.slug) r3",
        ])
        let logText = try Self.expectOK(run, ["log", "--limit", "3"]).stdout
        #expect(logText.split(separator: "\n").count == 3)
        #expect(logText.hasPrefix("2026-11-29 10:03:00Z  \(Self.slug)  r4  revert"))
        #expect(!logText.contains("\u{1B}"), "NO_COLOR is set: no escape codes")
    }

    @Test func diffDefaultsNamesAndModes() throws {
        let run = try Self.doneWhenStore()
        defer { run.cleanup() }
        // Default: the latest against its parent (r3 → r4).
        let latest = try Self.expectOK(run, ["diff", Self.slug]).stdout
        #expect(latest.hasPrefix("diff \(Self.slug) r3 → r4\n"))
        #expect(latest.contains("-Line two, edited.\n+Line two.\n"))
        // Names, and either order.
        #expect(try Self.expectOK(run, ["diff", Self.slug, "live", "latest"]).stdout.contains("r1 → r4"))
        #expect(try Self.expectOK(run, ["diff", Self.slug, "r3", "2"]).stdout.contains("-Line four."))
        #expect(try Self.expectOK(run, ["diff", Self.slug, "2", "--word"]).stdout.contains("Line [-two, edited.-]{+two.+}"))
        let stat = try Self.expectOK(run, ["diff", Self.slug, "1", "3", "--stat"]).stdout
        #expect(stat.contains(" body      | +2 -1 ++-"))
        let statJSON = try Self.expectOK(run, ["diff", Self.slug, "1", "3", "--stat", "--json"]).object()
        let numbers = try #require(statJSON["stat"] as? [String: Any])
        #expect(numbers["lines_added"] as? Int == 2 && statJSON["body"] == nil)
    }

    @Test func badInputGetsClearErrors() throws {
        let run = try Self.doneWhenStore()
        defer { run.cleanup() }
        let unknown = try run.run(["diff", Self.slug, "9"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("'\(Self.slug)' has no revision 9 (see `pmcms history \(Self.slug)`)"))
        let badName = try run.run(["diff", Self.slug, "yesterday"])
        #expect(badName.status == 2 && badName.stderr.contains("'yesterday' is not a revision"))
        #expect(try run.run(["history", "no-such-entry"]).stderr.contains("no entry 'no-such-entry'"))
        let noUpstream = try run.run(["diff", Self.slug, "upstream"])
        #expect(noUpstream.status == 1 && noUpstream.stderr.contains("has no upstream import revision"))
        #expect(try run.run(["log", "--since", "last week"]).status == 2)
        #expect(try run.run(["log", "--limit", "0"]).status == 2)
        #expect(try run.run(["revert", Self.slug, "2", "--expect-rev", "3"]).status == 3)
        #expect(try run.run(["blame", Self.slug, "--json"]).status == 0)
    }

    @Test func revertOfARevertAndPublish() throws {
        let run = try Self.doneWhenStore()
        defer { run.cleanup() }
        let undo = try Self.expectOK(run, ["revert", Self.slug, "3", "-m", "undo the revert", "--publish", "--expect-rev", "4"], at: "2026-11-29T10:04:00Z")
        #expect(undo.stdout == "\(Self.slug): r5 reverts to r3 (published)\n")
        let show = try Self.expectOK(run, ["show", Self.slug, "--json"]).object()
        #expect(show["body"] as? String == "Line one.\nLine two, edited.\nLine three.\nLine four.")
        #expect(show["live_revision"] as? Int == 5)
        // Reverting a published entry to its own live content with --publish changes nothing.
        let same = try Self.expectOK(run, ["revert", Self.slug, "5", "--publish"])
        #expect(same.stdout.contains("no revision made"))
        let origins = try Self.expectOK(run, ["log", "--origin", "revert", "--json"]).json() as? [[String: Any]]
        #expect(origins?.map { $0["number"] as? Int } == [5, 4])
    }

    @Test func historyMarksAnUnmergedUpstreamRevision() throws {
        let run = try Self.doneWhenStore()
        defer { run.cleanup() }
        let store = try TestBackend.open(run.storePath)
        _ = try store.write { db in
            let header = try ContentStore.resolve(db, ref: Self.slug)
            var incoming = try ContentStore.fetchContent(db, entryID: header.id, number: 1)
            incoming.body = "Line one.\nLine two, from the site.\nLine three.\n"
            try ContentStore.appendRevision(
                db, header: header, parentContent: try ContentStore.fetchContent(db, entryID: header.id, number: header.head),
                content: incoming, origin: .import, author: "importer", message: "re-import: conflict",
                upstream: true, now: "2026-11-29T10:05:00Z")
        }
        let lines = try Self.expectOK(run, ["history", Self.slug]).stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[3].hasSuffix("[latest]              revert to r1"))
        #expect(lines[4].hasPrefix("r5  2026-11-29 10:05:00Z  importer  import    published"))
        #expect(lines[4].hasSuffix("[upstream, unmerged]  re-import: conflict"))
        let diff = try Self.expectOK(run, ["diff", Self.slug, "latest", "upstream"]).stdout
        #expect(diff.contains("-Line two.\n+Line two, from the site.\n"))
        #expect(diff.contains("+++ r5 · 2026-11-29T10:05:00Z · importer · import · upstream · \"re-import: conflict\""))
        // The editor's text stays current and blame ignores the kept-aside import.
        let blame = try Self.expectOK(run, ["blame", Self.slug, "--json"]).object()
        #expect(blame["revision"] as? Int == 4)
    }
}

@Suite("Show at a revision")
struct ShowAtRevisionEndToEndTests {
    @Test func everyFieldIsHistoricalLinksIncluded() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        #expect(try run.run(["new", "--kind", "question", "--title", "Other"]).status == 0)
        #expect(try run.run(["new", "--kind", "question", "--title", "Q", "--set", "summary=first"]).status == 0)
        #expect(try run.run(["edit", "q", "--set", "related=other", "--set", "summary=second", "--set", "title=Q2"]).status == 0)
        let old = try run.run(["show", "q", "--rev", "1", "--json"]).object()
        #expect(old["title"] as? String == "Q" && old["summary"] as? String == "first")
        #expect((old["related"] as? [Any])?.isEmpty == true)
        #expect(old["revision"] as? Int == 1)
        let new = try run.run(["show", "q", "--rev", "2", "--json"]).object()
        #expect((new["related"] as? [[String: Any]])?.first?["slug"] as? String == "other")
        let diff = try run.run(["diff", "q", "1", "2"]).stdout
        #expect(diff.contains("title: Q → Q2\nsummary: first → second\n"))
        #expect(diff.contains("related: + Other (other) at 1"))
    }
}
