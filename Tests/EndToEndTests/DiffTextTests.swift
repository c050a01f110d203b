import Foundation
import Testing
@testable import PMCMS
@testable import pmcms

/// The CLI's text and `--json` renderings of the core's diff values (`DiffText`, `DiffJSON`):
/// they live in the `pmcms` target, so their tests run here, beside the binary's.
@Suite("Diff text")
struct DiffTextTests {
    static let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"]
    static let oldBody = words.joined(separator: "\n") + "\n"
    static let newBody = words.map { $0 == "bravo" ? "bravo two" : $0 }.filter { $0 != "kilo" }.joined(separator: "\n") + "\nmike\n"

    static func info(_ number: Int) -> RevisionInfo {
        RevisionInfo(
            entryID: 1, slug: "sample", number: number, parent: number > 1 ? number - 1 : nil, origin: .edit,
            status: .draft, author: "ann", createdAt: "2026-11-0\(min(number, 9))T10:00:00Z", message: nil,
            hash: "sha256:x", upstream: false, live: false, linesAdded: 0, linesRemoved: 0)
    }

    static func diff(_ old: Content, _ new: Content) -> EntryDiff {
        EntryDiff(entryID: 1, slug: "sample", from: info(1), to: info(2), old: old, new: new)
    }

    static let fieldsOld = Content(
        status: .draft, title: "Old", body: "same\n",
        related: [
            LinkRef(title: "A", slug: "a"), LinkRef(title: "B title", slug: "b"), LinkRef(title: "C", slug: "c"),
            LinkRef(title: "D", slug: "d"), LinkRef(title: "F title", url: "https://example.org/f"),
        ])
    static let fieldsNew = Content(
        status: .inReview, title: "New", body: "same\n", summary: "Sum",
        related: [
            LinkRef(title: "A new", slug: "a"), LinkRef(title: "C", slug: "c"), LinkRef(title: "D", slug: "d"),
            LinkRef(title: "B title", slug: "b"), LinkRef(title: "E title", slug: "e"),
        ])

    @Test func unifiedBodyGolden() {
        let d = Self.diff(Content(title: "T", body: Self.oldBody), Content(title: "T", body: Self.newBody))
        #expect(DiffText.render(d) == """
            diff sample r1 → r2
            --- r1 · 2026-11-01T10:00:00Z · ann · edit
            +++ r2 · 2026-11-02T10:00:00Z · ann · edit
            @@ -1,5 +1,5 @@
             alpha
            -bravo
            +bravo two
             charlie
             delta
             echo
            @@ -8,5 +8,5 @@
             hotel
             india
             juliet
            -kilo
             lima
            +mike
            """)
        #expect(d.body.linesAdded == 2 && d.body.linesRemoved == 2)
    }

    @Test func wordModeGolden() {
        let d = Self.diff(Content(title: "T", body: Self.oldBody), Content(title: "T", body: Self.newBody))
        #expect(DiffText.bodyLines(d, words: true).joined(separator: "\n") == """
            @@ -1,5 +1,5 @@
            alpha
            bravo{+ two+}
            charlie
            delta
            echo
            @@ -8,5 +8,5 @@
            hotel
            india
            juliet
            [-kilo-]
            lima
            {+mike+}
            """)
        let segments = WordDiff.segments(old: "The quick brown fox", new: "The slow brown fox jumps")
        #expect(DiffText.wordText(segments) == "The [-quick-]{+slow+} brown fox{+ jumps+}")
    }


    @Test func fieldAndLinkChangesGolden() {
        let d = Self.diff(Self.fieldsOld, Self.fieldsNew)
        #expect(DiffText.fieldLines(d) == [
            "status: draft → in_review",
            "title: Old → New",
            "summary: (none) → Sum",
            "related: - F title (https://example.org/f) was at 5",
            "related: + E title (e) at 5",
            "related: moved B title (b): 2 → 4",
            "related: retitled at 1: A → A new",
        ])
        #expect(!d.body.changed)
        #expect(DiffText.bodyLines(d, words: false).isEmpty)
    }

    @Test func statGolden() {
        var old = Self.fieldsOld, new = Self.fieldsNew
        old.body = "one\ntwo\nthree\n"
        new.body = "one\n2\nthree\nfour\n"
        let d = Self.diff(old, new)
        #expect(DiffText.stat(d) == """
            diff sample r1 → r2
             status  | draft → in_review
             title   | changed
             summary | changed
             related | 1 added, 1 removed, 1 moved, 1 retitled
             body    | +2 -1 ++-
             3 fields, 4 link changes, 2 lines added, 1 line removed
            """)
    }


    @Test func jsonShapeHasEveryKey() throws {
        let d = Self.diff(Self.fieldsOld, Self.fieldsNew)
        let data = try JSONOutput.encoder(pretty: false).encode(DiffJSON(d, words: true))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["entry_id", "slug", "from", "to", "changed", "fields", "links", "body", "stat"])
        let fields = try #require(object["fields"] as? [[String: Any]])
        #expect(fields.first?["field"] as? String == "status")
        #expect(fields.count == 3)
        let summary = try #require(fields.last)
        #expect(summary["old"] is NSNull)
        let links = try #require(object["links"] as? [[String: Any]])
        #expect(links.map { $0["change"] as? String } == ["removed", "added", "moved", "retitled"])
        #expect(Set(links[0].keys) == ["field", "change", "title", "url", "slug", "old_title", "old_position", "new_position"])
        let body = try #require(object["body"] as? [String: Any])
        #expect(body["changed"] as? Bool == false)
        #expect(body["words"] is NSNull)
        let from = try #require(object["from"] as? [String: Any])
        #expect(from["number"] as? Int == 1 && from["lines_added"] != nil)
    }

    @Test func finalNewlineAloneIsSaid() {
        let d = Self.diff(Content(title: "T", body: "a\n"), Content(title: "T", body: "a"))
        #expect(DiffText.bodyLines(d, words: false) == ["\\ no newline at end of body"])
    }

    @Test func identicalRevisionsSayNoChanges() {
        let c = Content(title: "T", body: Self.oldBody)
        #expect(DiffText.render(Self.diff(c, c)).hasSuffix("no changes: r1 and r2 have the same content"))
    }
}
