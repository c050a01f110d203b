import Foundation
import Testing
import TestBackends
@testable import PMCMS

/// The core's refusals carry values (statuses, actions, revisions, what kind of file), so that
/// each face can say them its own way; and the sentence the core itself gives names no command.
@Suite("Error values")
struct ErrorValueTests {
    static let slug = "is-pmo-more-senior-than-project-manager"

    /// The error `body` throws, or nil.
    static func error<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
        do { try body() } catch let error as E { return error } catch { return nil }
        return nil
    }

    @Test("a workflow refusal carries the status, the action and the steps that would move the entry on",
          arguments: [(Status.draft, [WorkflowAction.submit]), (.inReview, [.approve, .reject]), (.approved, [.publish]),
                      (.published, []), (.archived, [.restore])])
    func workflowRefusal(status: Status, next: [WorkflowAction]) throws {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: status)
        // An action the status does not allow: restore, unless archived (then submit).
        let action: WorkflowAction = status == .archived ? .submit : .restore
        let error = try #require(Self.error(StoreError.self) { try t.store.transition("1", action, author: "ed", message: "m") })
        #expect(error == .illegalTransition(slug: Self.slug, action: action, from: status))
        #expect(error.nextActions == next)
        #expect(Workflow.nextActions(from: status) == next)
        #expect(next.allSatisfy { Workflow.allows($0, from: status) }, "a next step is always an allowed one")
        #expect(error.description.hasPrefix("cannot \(action.rawValue) '\(Self.slug)': it is \(status.rawValue)"))
        #expect(!error.description.contains("pmcms") && !error.description.contains("`"), "\(error.description)")
    }

    @Test("allowed actions are the transition table's, in its order")
    func allowedActions() {
        #expect(Workflow.allowedActions(from: .draft) == [.submit, .archive])
        #expect(Workflow.allowedActions(from: .inReview) == [.approve, .reject, .archive])
        #expect(Workflow.allowedActions(from: .published) == [.unpublish, .archive])
        #expect(Workflow.allowedActions(from: .archived) == [.restore])
    }

    @Test("a stale write carries the expected and the actual revision, for edits, steps and schedules alike")
    func staleWrite() throws {
        let t = try TestStore()
        try t.question()
        try t.store.edit("1", author: "kim") { $0.body = "Second." }
        try t.store.edit("1", author: "kim") { $0.body = "Third." }
        let stale = StoreError.staleRevision(slug: Self.slug, expected: 1, actual: 3)
        #expect(Self.error(StoreError.self) { try t.store.edit("1", author: "ed", expectRevision: 1) { $0.body = "Mine." } } == stale)
        #expect(Self.error(StoreError.self) { try t.store.transition("1", .submit, author: "ed", expectRevision: 1) } == stale)
        #expect(Self.error(StoreError.self) { try t.store.revert("1", to: 1, author: "ed", expectRevision: 1) } == stale)
        #expect(stale.description == "'\(Self.slug)' changed since revision 1: it is now at revision 3")
        #expect(try t.store.revisions("1").count == 3, "nothing written")
    }

    @Test("no live revision, bad dates and assignments have their own cases, not invalidField")
    func ownCases() throws {
        let t = try TestStore()
        try t.question()
        #expect(Self.error(StoreError.self) { _ = try t.store.entry("1", at: .live) } == .noLiveRevision(slug: Self.slug))
        #expect(Self.error(StoreError.self) { try t.store.stream(StreamQuery(since: "yesterday")) { _ in } } == .notADate(field: "since", text: "yesterday"))
        #expect(Self.error(StoreError.self) { try t.store.edit("1", author: "kim") { $0.editedAt = "someday" } } == .notADate(field: "edited_at", text: "someday"))
        #expect(Self.error(StoreError.self) { _ = try EditableField.parseAssignment("title") } == .notAnAssignment(text: "title"))
        #expect(Self.error(StoreError.self) { _ = try EditableField.parseAssignment("colour=red") } == .unknownField(name: "colour"))
        var content = Content(title: "T")
        #expect(Self.error(StoreError.self) { try content.set(.related, to: "a") } == .linksNeedAList(field: .related))
    }

    @Test("a file that is not a store says which kind of file it is", .sqliteOnly("kinds of file that are not a store"))
    func notAStore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-notastore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let junk = directory.appendingPathComponent("junk").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: junk))
        let empty = directory.appendingPathComponent("empty").path
        try Data().write(to: URL(fileURLWithPath: empty))
        let folder = directory.path
        #expect(Self.error(StoreError.self) { _ = try ContentStore(path: junk) } == .notAStore(path: junk, reason: .notSQLite))
        #expect(Self.error(StoreError.self) { _ = try ContentStore(path: empty) } == .notAStore(path: empty, reason: .emptyFile))
        #expect(Self.error(StoreError.self) { _ = try ContentStore(path: folder) } == .notAStore(path: folder, reason: .folder))
        #expect(NotAStoreReason.emptyFile.creatingMakesAStore && !NotAStoreReason.notSQLite.creatingMakesAStore)
    }

    @Test("the schedule's refusals carry the status; their sentences name no command")
    func scheduleRefusal() throws {
        let t = try TestStore()
        try t.question()
        #expect(Self.error(ScheduleError.self) { try t.store.schedule("1", .expire("2026-12-01T10:00:00Z"), author: "ed") }
            == .notPublished(slug: Self.slug, status: .draft))
        for error in [ScheduleError.notPublished(slug: "s", status: .draft), .notApproved(slug: "s", status: .published),
                      .expiryNotAfterPublication(slug: "s", publishAt: "b", expireAt: "a"), .nothingScheduled(slug: "s")] {
            #expect(!error.description.contains("pmcms") && !error.description.contains("--"), "\(error.description)")
        }
    }
}
