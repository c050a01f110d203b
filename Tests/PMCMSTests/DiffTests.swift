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
        #expect(!d.body.newEndsWithNewline && d.body.oldEndsWithNewline)
    }

    @Test func identicalRevisionsSayNoChanges() {
        let c = Content(title: "T", body: Self.oldBody)
        let d = Self.diff(c, c)
        #expect(d.isEmpty)
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
