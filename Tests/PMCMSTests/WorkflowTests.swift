import Foundation
import Testing
@testable import PMCMS

@Suite("Workflow")
struct WorkflowTests {
    static let legal: Set<String> = [
        "draft submit", "in_review approve", "in_review reject", "approved publish", "published unpublish",
        "draft archive", "in_review archive", "approved archive", "published archive", "archived restore",
    ]

    @Test("every transition from every status is allowed exactly when the table says so",
          arguments: Status.allCases)
    func transitionTable(from status: Status) throws {
        for action in WorkflowAction.allCases {
            let t = try TestStore()
            try t.question()
            try t.move("1", to: status)
            let before = try t.store.revisions("1").count
            let key = "\(status.rawValue) \(action.rawValue)"
            if Self.legal.contains(key) {
                let result = try t.store.transition("1", action, author: "ed", message: "because")
                #expect(result.revision == before + 1, "\(key)")
                let entry = try t.store.entry("1")
                #expect(entry.content.status == action.target, "\(key)")
                #expect(try t.store.revisions("1").last?.origin == .workflow)
                #expect(try t.store.revisions("1").last?.message == "because")
            } else {
                #expect(throws: StoreError.illegalTransition(slug: "is-pmo-more-senior-than-project-manager", action: action, from: status), "\(key)") {
                    try t.store.transition("1", action, author: "ed", message: "because")
                }
                #expect(try t.store.revisions("1").count == before, "\(key) wrote a revision")
            }
        }
    }

    @Test("reject needs a message")
    func rejectNeedsMessage() throws {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: .inReview)
        #expect(throws: StoreError.messageRequired(action: .reject)) { try t.store.transition("1", .reject, author: "ed") }
        #expect(throws: StoreError.messageRequired(action: .reject)) { try t.store.transition("1", .reject, author: "ed", message: "  ") }
    }

    @Test("publishing makes the revision live; editing a published entry leaves it live")
    func draftLiveSplit() throws {
        let t = try TestStore()
        try t.question(body: "A.")
        try t.move("1", to: .published)
        var header = try t.store.header("1")
        #expect(header.head == 4 && header.live == 4)
        let publishedAt = try #require(try t.store.entry("1").content.publishedAt)

        try t.store.edit("1", author: "kim", message: "reword") { $0.body = "B." }
        header = try t.store.header("1")
        #expect(header.head == 5 && header.live == 4)
        #expect(try t.store.entry("1").content.status == .draft)
        #expect(try t.store.entry("1", at: .live).content.body == "A.")
        #expect(try t.store.entry("1", at: .live).content.status == .published)

        try t.store.transition("1", .submit, author: "kim")
        try t.store.transition("1", .approve, author: "ed")
        #expect(try t.store.header("1").live == 4)
        try t.store.transition("1", .publish, author: "ed")
        header = try t.store.header("1")
        #expect(header.head == 8 && header.live == 8)
        #expect(try t.store.entry("1", at: .live).content.body == "B.")
        #expect(try t.store.entry("1").content.publishedAt == publishedAt)  // first publication is kept
    }

    @Test("unpublish and archive take an entry off the site")
    func offTheSite() throws {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: .published)
        try t.store.transition("1", .unpublish, author: "ed")
        #expect(try t.store.header("1").live == nil)
        try t.move("1", to: .published)
        try t.store.transition("1", .archive, author: "ed")
        #expect(try t.store.header("1").live == nil)
        try t.store.transition("1", .restore, author: "ed")
        #expect(try t.store.entry("1").content.status == .draft)
    }

    @Test("revert appends a revision equal to the old one, a draft on a published entry")
    func revert() throws {
        let t = try TestStore()
        try t.question(body: "A.")
        try t.move("1", to: .published)
        try t.store.edit("1", author: "kim") { $0.body = "B." }
        let result = try t.store.revert("1", to: 1, author: "ed")
        #expect(result.revision == 6)
        let entry = try t.store.entry("1")
        #expect(entry.content.body == "A." && entry.content.status == .draft)
        #expect(try t.store.header("1").live == 4)
        #expect(try t.store.revisions("1").last?.origin == .revert)
        #expect(try t.store.revert("1", to: 6, author: "ed").revision == nil)  // already equal
    }
}
