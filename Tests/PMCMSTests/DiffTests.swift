import Foundation
import Testing
@testable import PMCMS

@Suite("Diff")
struct DiffTests {
    static let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"]
    static let oldBody = words.joined(separator: "\n") + "\n"
    static let newBody = words.map { $0 == "bravo" ? "bravo two" : $0 }.filter { $0 != "kilo" }.joined(separator: "\n") + "\nmike\n"

    static func diff(_ old: Content, _ new: Content) -> EntryDiff {
        EntryDiff(entryID: 1, slug: "sample", from: HistoryFixture.info(1), to: HistoryFixture.info(2), old: old, new: new)
    }

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

    @Test func eitherOrderSwapsSides() {
        let forward = Self.diff(Content(title: "T", body: Self.oldBody), Content(title: "T", body: Self.newBody))
        let backward = Self.diff(Content(title: "T", body: Self.newBody), Content(title: "T", body: Self.oldBody))
        let added = forward.body.hunks.flatMap(\.lines).filter { $0.op == .added }.map(\.text)
        let removedBack = backward.body.hunks.flatMap(\.lines).filter { $0.op == .removed }.map(\.text)
        #expect(added == removedBack)
        #expect(backward.body.hunks.map(\.header) == ["@@ -1,5 +1,5 @@", "@@ -8,5 +8,5 @@"])
    }

    @Test func hunkHeadersAtTheEdges() {
        #expect(UnifiedDiff.hunks(old: "", new: "a\nb").map(\.header) == ["@@ -0,0 +1,2 @@"])
        #expect(UnifiedDiff.hunks(old: "a\nb\n", new: "").map(\.header) == ["@@ -1,2 +0,0 @@"])
        #expect(UnifiedDiff.hunks(old: "a", new: "b").map(\.header) == ["@@ -1 +1 @@"])
        // An insertion after line 5 of 10: three lines of context before it, three after.
        let ten = (1...10).map(String.init).joined(separator: "\n")
        let eleven = (1...5).map(String.init).joined(separator: "\n") + "\nnew\n" + (6...10).map(String.init).joined(separator: "\n")
        let hunks = UnifiedDiff.hunks(old: ten, new: eleven)
        #expect(hunks.map(\.header) == ["@@ -3,6 +3,7 @@"])
        #expect(hunks.first?.lines.map { $0.op.marker + $0.text } == [" 3", " 4", " 5", "+new", " 6", " 7", " 8"])
    }

    @Test func finalNewlineAloneIsAChange() {
        let d = Self.diff(Content(title: "T", body: "a\n"), Content(title: "T", body: "a"))
        #expect(d.body.changed && d.body.hunks.isEmpty && !d.isEmpty)
        #expect(DiffText.bodyLines(d, words: false) == ["\\ no newline at end of body"])
    }

    @Test func identicalRevisionsSayNoChanges() {
        let c = Content(title: "T", body: Self.oldBody)
        let d = Self.diff(c, c)
        #expect(d.isEmpty)
        #expect(DiffText.render(d).hasSuffix("no changes: r1 and r2 have the same content"))
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

    @Test func revisionNames() {
        #expect(RevisionName(parsing: "3") == .number(3))
        #expect(RevisionName(parsing: "r12") == .number(12))
        #expect(RevisionName(parsing: "LIVE") == .live)
        #expect(RevisionName(parsing: "latest") == .latest)
        #expect(RevisionName(parsing: "upstream") == .upstream)
        for bad in ["0", "-1", "r", "x3", "", "٣", "1.5"] { #expect(RevisionName(parsing: bad) == nil, "\(bad)") }
    }
}
