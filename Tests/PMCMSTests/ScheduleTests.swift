import Foundation
import GRDB
import Schema
import Testing
import TestBackends
@testable import PMCMS

/// `schedule` and `publish-due` on a real store, each time given explicitly (`now:`).
@Suite("Scheduled publishing and expiry")
struct ScheduleTests {
    static let slug = "is-pmo-more-senior-than-project-manager"

    /// A store with one approved question scheduled for 10:00, expiring at `expire`.
    static func scheduled(at: String = "2026-12-01T10:00:00Z", expire: String? = nil) throws -> TestStore {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: .approved)
        try t.store.schedule("1", .publish(at: at, expire: expire), author: "ed")
        return t
    }

    @Test("scheduling is one workflow revision that keeps the content and pins itself")
    func scheduleIsARevision() throws {
        let t = try Self.scheduled(expire: "2026-12-31T00:00:00Z")
        let revisions = try t.store.revisions("1")
        #expect(revisions.count == 4)
        #expect(revisions.last?.origin == .workflow)
        #expect(revisions.last?.message == "schedule: publish 2026-12-01T10:00:00Z · expire 2026-12-31T00:00:00Z")
        #expect(revisions.last?.publishAt == "2026-12-01T10:00:00Z")
        let entry = try t.store.entry("1")
        #expect(entry.content.status == .approved)
        #expect(entry.content.schedule == Schedule(publishAt: "2026-12-01T10:00:00Z", expireAt: "2026-12-31T00:00:00Z", pinnedRevision: 4))
        #expect(try t.store.content("1", revision: 3).body == entry.content.body)
        // The same schedule again changes nothing.
        #expect(try t.store.schedule("1", .publish(at: "2026-12-01T10:00:00Z", expire: "2026-12-31T00:00:00Z"), author: "ed").changed == false)
        // The diff between the approval and the schedule names the two fields.
        let pair = try t.store.revisionPair("1", from: .number(3), to: .number(4))
        let diff = EntryDiff(entryID: 1, slug: Self.slug, from: pair.old, to: pair.new, old: pair.oldContent, new: pair.newContent)
        #expect(diff.fields.map(\.field) == [.publishAt, .expireAt])
        #expect(try TestBackend.verify(t.store).problems == [])
    }

    @Test("only an approved entry can be scheduled; the refusal carries the status, in words that name no command", arguments: [Status.draft, .inReview, .published, .archived])
    func refusedUnlessApproved(status: Status) throws {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: status)
        #expect(throws: ScheduleError.notApproved(slug: Self.slug, status: status)) {
            try t.store.schedule("1", .publish(at: "2026-12-01T10:00:00Z", expire: nil), author: "ed")
        }
        let message = ScheduleError.notApproved(slug: Self.slug, status: status).description
        #expect(message.contains("cannot schedule") && !message.contains("pmcms"), "\(message)")
    }

    @Test("times: an offset or Z becomes UTC, a date is midnight UTC, a time without a zone is refused")
    func times() throws {
        #expect(try ScheduleTime.parse("2026-12-01T10:00:00+01:00", option: "--at") == "2026-12-01T09:00:00Z")
        #expect(try ScheduleTime.parse("2026-12-01T10:00:00Z", option: "--at") == "2026-12-01T10:00:00Z")
        #expect(try ScheduleTime.parse("2026-12-01", option: "--at") == "2026-12-01T00:00:00Z")
        #expect(try ScheduleTime.parse("2026-11-30T23:30:00-02:00", option: "--at") == "2026-12-01T01:30:00Z")
        // To the minute, as people type times.
        #expect(try ScheduleTime.parse("2026-12-01T09:00+01:00", option: "--at") == "2026-12-01T08:00:00Z")
        #expect(try ScheduleTime.parse("2026-12-01T09:00Z", option: "--at") == "2026-12-01T09:00:00Z")
        #expect(throws: ScheduleError.badTime(option: "--at", text: "2026-12-01T09:00")) { try ScheduleTime.parse("2026-12-01T09:00", option: "--at") }
        #expect(throws: ScheduleError.badTime(option: "--at", text: "2026-12-01T10:00:00")) { try ScheduleTime.parse("2026-12-01T10:00:00", option: "--at") }
        #expect(throws: ScheduleError.badTime(option: "--at", text: "tomorrow")) { try ScheduleTime.parse("tomorrow", option: "--at") }
    }

    @Test("early: nothing happens; on time: published once; again: nothing more")
    func earlyOnTimeAndIdempotent() throws {
        let t = try Self.scheduled()
        let early = try t.store.publishDue(now: "2026-12-01T09:59:59Z", author: "cron")
        #expect(early == PublishDueReport(now: "2026-12-01T09:59:59Z", dryRun: false))
        #expect(try t.store.revisions("1").count == 4)

        let onTime = try t.store.publishDue(now: "2026-12-01T10:00:00Z", author: "cron")
        #expect(onTime.published == [DueItem(slug: Self.slug, at: "2026-12-01T10:00:00Z", revision: 5)])
        let entry = try t.store.entry("1")
        #expect(entry.content.status == .published)
        #expect(entry.header.live == 5)
        #expect(entry.content.publishedAt == "2026-12-01T10:00:00Z")
        #expect(entry.content.schedule.isEmpty)
        #expect(try t.store.revisions("1").last?.origin == .workflow)

        let again = try t.store.publishDue(now: "2026-12-01T10:05:00Z", author: "cron")
        #expect(again.published.isEmpty && again.expired.isEmpty && again.ok)
        #expect(try t.store.revisions("1").count == 5)
        #expect(try TestBackend.verify(t.store).problems == [])
    }

    @Test("late: a run after the time catches up, oldest schedule first")
    func lateCatchesUpOldestFirst() throws {
        let t = try TestStore()
        for (title, at) in [("Which comes later?", "2026-12-03T08:00:00Z"), ("Which comes first?", "2026-12-01T08:00:00Z")] {
            let header = try t.question(title)
            try t.move(String(header.id), to: .approved)
            try t.store.schedule(String(header.id), .publish(at: at, expire: nil), author: "ed")
        }
        let report = try t.store.publishDue(now: "2026-12-05T00:00:00Z", author: "cron")
        #expect(report.published.map(\.slug) == ["which-comes-first", "which-comes-later"])
        #expect(try t.store.entry("1").content.status == .published)
        #expect(try t.store.entry("2").content.status == .published)
    }

    @Test("changed after scheduling: not published, reported, exit status not ok; again after re-approval")
    func changedAfterScheduling() throws {
        let t = try Self.scheduled()
        try t.store.edit("1", author: "kim") { $0.body = "A changed answer nobody scheduled." }
        let report = try t.store.publishDue(now: "2026-12-01T10:00:00Z", author: "cron")
        #expect(report.published.isEmpty)
        #expect(!report.ok)
        #expect(report.notPublished.map(\.slug) == [Self.slug])
        #expect(report.notPublished.first?.scheduledRevision == 4)
        #expect(report.notPublished.first?.head == 5)
        #expect(report.notPublished.first?.reason.contains("changed since it was scheduled at r4") == true)
        #expect(try t.store.entry("1").header.live == nil)

        // Approved again, it is still not the scheduled revision: still not published.
        try t.move("1", to: .approved)
        #expect(try t.store.publishDue(now: "2026-12-01T10:01:00Z", author: "cron").notPublished.count == 1)
        #expect(try t.store.entry("1").header.live == nil)
        // Scheduled again (same time), it goes live.
        #expect(try t.store.schedule("1", .publish(at: "2026-12-01T10:00:00Z", expire: nil), author: "ed").changed)
        let after = try t.store.publishDue(now: "2026-12-01T10:02:00Z", author: "cron")
        #expect(after.published.map(\.slug) == [Self.slug] && after.ok)
        #expect(try t.store.entry("1", at: .live).content.body == "A changed answer nobody scheduled.")
    }

    @Test("expiry: a live revision leaves the site; expiries run before publications in one run")
    func expiryBeforePublish() throws {
        let t = try TestStore()
        let old = try t.question("Old price?", body: "Valid until ten.")
        try t.move(String(old.id), to: .published)
        try t.store.schedule(String(old.id), .expire("2026-12-01T10:00:00Z"), author: "ed")
        let new = try t.question("New price?", body: "Valid from ten.")
        try t.move(String(new.id), to: .approved)
        try t.store.schedule(String(new.id), .publish(at: "2026-12-01T10:00:00Z", expire: nil), author: "ed")

        let report = try t.store.publishDue(now: "2026-12-01T10:00:00Z", author: "cron")
        #expect(report.expired.map(\.slug) == ["old-price"])
        #expect(report.published.map(\.slug) == ["new-price"])
        let expired = try t.store.entry("old-price")
        #expect(expired.header.live == nil)
        #expect(expired.content.status == .draft)
        #expect(expired.content.schedule.isEmpty)
        #expect(try t.store.revisions("old-price").last?.message == "expired 2026-12-01T10:00:00Z")
        // The log holds the expiry before the publication.
        let log = try t.store.log(LogQuery())
        let expiredIndex = try #require(log.firstIndex { $0.slug == "old-price" && $0.message?.hasPrefix("expired") == true })
        let publishedIndex = try #require(log.firstIndex { $0.slug == "new-price" && $0.message?.hasPrefix("published") == true })
        #expect(expiredIndex > publishedIndex)  // newest first: the publication came after
        #expect(try TestBackend.verify(t.store).problems == [])
    }

    @Test("an expiry that passed before the publication time came: not published, schedule dropped")
    func lapsed() throws {
        let t = try Self.scheduled(at: "2026-12-01T10:00:00Z", expire: "2026-12-01T12:00:00Z")
        let report = try t.store.publishDue(now: "2026-12-01T13:00:00Z", author: "cron")
        #expect(report.lapsed.map(\.slug) == [Self.slug])
        #expect(report.published.isEmpty && report.ok)
        let entry = try t.store.entry("1")
        #expect(entry.header.live == nil && entry.content.status == .approved && entry.content.schedule.isEmpty)
    }

    @Test("an expiry on a live revision under a newer draft takes the live one off and keeps the draft")
    func expiryUnderADraft() throws {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: .published)
        try t.store.schedule("1", .expire("2026-12-01T10:00:00Z"), author: "ed")
        try t.store.edit("1", author: "kim") { $0.body = "Work in progress." }
        let report = try t.store.publishDue(now: "2026-12-01T10:00:00Z", author: "cron")
        #expect(report.expired.map(\.slug) == [Self.slug])
        let entry = try t.store.entry("1")
        #expect(entry.header.live == nil)
        #expect(entry.content.body == "Work in progress.")
        #expect(entry.content.status == .draft)
        #expect(try TestBackend.verify(t.store).problems == [])
    }

    @Test("--expire alone needs a published entry; none clears it; cancel drops a schedule")
    func expireAloneAndCancel() throws {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: .approved)
        #expect(throws: ScheduleError.notPublished(slug: Self.slug, status: .approved)) {
            try t.store.schedule("1", .expire("2026-12-01T10:00:00Z"), author: "ed")
        }
        #expect(throws: ScheduleError.nothingScheduled(slug: Self.slug)) { try t.store.schedule("1", .cancel, author: "ed") }
        #expect(throws: ScheduleError.expiryNotAfterPublication(slug: Self.slug, publishAt: "2026-12-01T10:00:00Z", expireAt: "2026-12-01T09:00:00Z")) {
            try t.store.schedule("1", .publish(at: "2026-12-01T10:00:00Z", expire: "2026-12-01T09:00:00Z"), author: "ed")
        }
        try t.store.schedule("1", .publish(at: "2026-12-01T10:00:00Z", expire: nil), author: "ed")
        let cancelled = try t.store.schedule("1", .cancel, author: "ed", message: "launch moved")
        #expect(cancelled.changed)
        #expect(try t.store.entry("1").content.schedule.isEmpty)
        #expect(try t.store.revisions("1").last?.message == "launch moved")
        #expect(try t.store.publishDue(now: "2026-12-02T00:00:00Z", author: "cron").published.isEmpty)

        try t.store.transition("1", .publish, author: "ed")
        try t.store.schedule("1", .expire("2026-12-31T00:00:00Z"), author: "ed")
        #expect(try t.store.entry("1").content.schedule.expireAt == "2026-12-31T00:00:00Z")
        let published = try t.store.entry("1")
        #expect(published.header.live == published.revision)  // the live revision carries it
        try t.store.schedule("1", .expire(nil), author: "ed")
        #expect(try t.store.entry("1").content.schedule.isEmpty)
        #expect(try t.store.revisions("1").last?.message == "schedule: expiry cleared")
    }

    @Test("a dry run says what is due and writes nothing")
    func dryRun() throws {
        let t = try Self.scheduled()
        let report = try t.store.publishDue(now: "2026-12-01T10:00:00Z", dryRun: true, author: "cron")
        #expect(report.published == [DueItem(slug: Self.slug, at: "2026-12-01T10:00:00Z", revision: nil)])
        #expect(try t.store.revisions("1").count == 4)
    }

    @Test("the live stream leaves out what expired and what is not yet due, at the stream's time")
    func streamAtATime() throws {
        let t = try TestStore()
        let a = try t.question("Expires at ten?")
        try t.move(String(a.id), to: .published)
        try t.store.schedule(String(a.id), .expire("2026-12-01T10:00:00Z"), author: "ed")
        let b = try t.question("Always there?")
        try t.move(String(b.id), to: .published)
        func slugs(at now: String) throws -> [String] {
            var query = StreamQuery(selection: .live)
            query.now = now
            var seen: [String] = []
            try t.store.stream(query) { seen.append($0.view.slug) }
            return seen
        }
        #expect(try slugs(at: "2026-12-01T09:59:59Z") == ["expires-at-ten", "always-there"])
        // publish-due has not run: the expired entry is still live, but out of the stream.
        #expect(try slugs(at: "2026-12-01T10:05:00Z") == ["always-there"])
        #expect(try t.store.entry("expires-at-ten").header.live != nil)
    }

    @Test("check reports a schedule more than 15 minutes overdue")
    func overdue() throws {
        let t = try Self.scheduled(at: "2026-12-01T10:00:00Z")
        let at = { (text: String) in try #require(Timestamp.parse(text)) }
        #expect(try t.store.editorialReport(CheckOptions(now: at("2026-12-01T10:15:00Z"))).filter { $0.check == .overdueSchedule }.isEmpty)
        let findings = try t.store.editorialReport(CheckOptions(now: at("2026-12-01T10:15:01Z"))).filter { $0.check == .overdueSchedule }
        #expect(findings.map(\.slug) == [Self.slug])
        #expect(findings.first?.detail == .overdueSchedule(what: "publish", at: "2026-12-01T10:00:00Z"))
    }

    @Test("the hash covers the schedule: a rewritten publish_at is found", .sqliteOnly("rewrites a revision past SQLite's dropped trigger"))
    func hashCoversSchedule() throws {
        let t = try Self.scheduled()
        #expect(try TestBackend.verify(t.store).problems == [])
        try t.execute("DROP TRIGGER revision_is_append_only_update")
        try t.execute("UPDATE revision SET publish_at = '2026-01-01T00:00:00Z' WHERE number = 4")
        #expect(try TestBackend.verify(t.store).problems.contains("\(Self.slug): r4's hash does not match its snapshot"))
    }

    @Test("a store from before migration 0008 keeps its hashes and verifies, before and after scheduling", .sqliteOnly("builds a SQLite store of migration 0007 with GRDB"))
    func storeFromBeforeScheduling() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-v7-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("v7.sqlite").path
        // A version-7 store (no schedule columns) with a scheme-2 revision, hashed as 0007's pmcms did.
        let content = Content(status: .approved, title: "An approved question?", body: "An answer.")
        let metadata = RevisionMetadata(
            entryID: 1, number: 1, parent: nil, origin: "edit", author: "sam", createdAt: "2026-01-01T00:00:00Z",
            message: nil, upstream: false, linesAdded: 1, linesRemoved: 0)
        let hash = ContentStore.revisionHash(kind: .question, content: content, metadata: metadata)
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            for migration in Schema.migrations.prefix(while: { $0.identifier != "0008_schedule" }) {
                migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
            }
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO entry (id, slug, kind, head, created_at, updated_at) VALUES (1, 'an-approved-question', 'question', 1, 't', 't')")
                try db.execute(sql: """
                    INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, body, hash, lines_added)
                    VALUES (1, 1, 'edit', 'sam', '2026-01-01T00:00:00Z', 'approved', ?, ?, ?, 1)
                    """, arguments: [content.title, content.body, hash])
                try db.execute(sql: "INSERT INTO search (rowid, title, body, summary) VALUES (1, ?, ?, '')", arguments: [content.title, content.body])
            }
        }
        let store = try ContentStore(path: path)  // migrates through 0008 (and any later migration)
        #expect(try store.appliedMigrations().contains("0008_schedule"))
        #expect(try TestBackend.verify(store).problems == [])
        try store.schedule("1", .publish(at: "2026-12-01T10:00:00Z", expire: "2026-12-02T00:00:00Z"), author: "ed")
        _ = try store.publishDue(now: "2026-12-01T10:00:00Z", author: "cron")
        _ = try store.publishDue(now: "2026-12-02T00:00:00Z", author: "cron")
        #expect(try store.revisions("1").count == 4)
        #expect(try TestBackend.verify(store).problems == [])
    }
}
