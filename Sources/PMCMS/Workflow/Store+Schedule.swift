public import Foundation  // Date in the public API

/// What scheduling asks of an entry.
public enum ScheduleChange: Sendable, Equatable {
    /// Publish the approved head at `at` (canonical UTC), and take it off at `expire` if given.
    case publish(at: String, expire: String?)
    /// Set (or, with nil, clear) the expiry of a published entry.
    case expire(String?)
    /// Drop the schedule (publication time and expiry).
    case cancel
}

/// What `publish-due` found for one entry, decided from the entry's state alone.
public enum DueDecision: Sendable, Equatable {
    /// Due, approved, and its head is the revision that was scheduled: publish it.
    case publish
    /// Due, but the head is not the revision that was scheduled (edited, re-reviewed, reverted
    /// or imported since), or not approved: it stays unpublished.
    case changed(scheduled: Int?, head: Int, status: Status)
    /// Its expiry came before it could be published: the schedule is dropped, nothing published.
    case lapsed
    /// Not due at `now` (or no longer scheduled: another run published it).
    case notDue
}

/// One entry `publish-due` acted on (or, in a dry run, would act on).
public struct DueItem: Sendable, Equatable, Encodable {
    public var slug: String
    /// The scheduled time: the publication time, or the expiry.
    public var at: String
    /// The revision written; nil in a dry run.
    public var revision: Int?
}

/// A due entry `publish-due` did not publish, and why: `reason` says it in a sentence that names
/// no face (the command line adds how to schedule again).
public struct DueProblem: Sendable, Equatable, Encodable {
    public var slug: String
    public var at: String
    public var scheduledRevision: Int?
    public var head: Int
    public var status: Status
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case slug, at, head, status, reason
        case scheduledRevision = "scheduled_revision"
    }
}

/// What one `publish-due` run did, in the order it did it: expiries first, then publications.
public struct PublishDueReport: Sendable, Equatable, Encodable {
    public var now: String
    public var dryRun: Bool
    public var expired: [DueItem] = []
    public var published: [DueItem] = []
    /// Due entries whose expiry had passed too: their schedule was dropped.
    public var lapsed: [DueItem] = []
    /// Due entries that could not be published (exit 1).
    public var notPublished: [DueProblem] = []

    public var ok: Bool { notPublished.isEmpty }

    enum CodingKeys: String, CodingKey {
        case now, expired, published, lapsed
        case dryRun = "dry_run"
        case notPublished = "not_published"
    }
}

/// A schedule that `check` finds overdue: `publish-due` has not run for a while.
public struct OverdueSchedule: Sendable, Equatable {
    public var slug: String
    /// "publish" or "expire".
    public var what: String
    public var at: String
}

extension ContentStore {
    /// How late a due schedule may be before `check` reports it (the timer is not running).
    public static let overdueGrace: TimeInterval = 15 * 60

    /// Sets, changes or cancels the entry's schedule: one revision with origin `workflow` that
    /// keeps the content and status and records the schedule. A change that changes nothing
    /// makes no revision.
    @discardableResult
    public func schedule(
        _ ref: String, _ change: ScheduleChange, author: String, message: String? = nil, expectRevision: Int? = nil
    ) throws -> ChangeResult {
        try write { db in
            let header = try Self.resolve(db, ref: ref)
            try Self.refuseIfStale(header, expectRevision: expectRevision)
            let current = try Self.fetchContent(db, entryID: header.id, number: header.head)
            let number = try Self.maxRevision(db, entryID: header.id) + 1
            var next = current
            let defaultMessage: String
            switch change {
            case .publish(let at, let expire):
                guard current.status == .approved else { throw ScheduleError.notApproved(slug: header.slug, status: current.status) }
                if let expire, expire <= at {
                    throw ScheduleError.expiryNotAfterPublication(slug: header.slug, publishAt: at, expireAt: expire)
                }
                // Unchanged only if the same times already pin this very head.
                if current.schedule == Schedule(publishAt: at, expireAt: expire, pinnedRevision: header.head) {
                    return ChangeResult(header: header, revision: nil)
                }
                next.schedule = Schedule(publishAt: at, expireAt: expire, pinnedRevision: number)
                defaultMessage = "schedule: " + (next.schedule.summary ?? "")
            case .expire(let expire):
                guard current.status == .published else { throw ScheduleError.notPublished(slug: header.slug, status: current.status) }
                next.schedule = Schedule(expireAt: expire)
                defaultMessage = expire.map { "schedule: expire \($0)" } ?? "schedule: expiry cleared"
            case .cancel:
                guard !current.schedule.isEmpty else { throw ScheduleError.nothingScheduled(slug: header.slug) }
                next.schedule = Schedule()
                defaultMessage = "schedule cancelled"
            }
            guard next != current else { return ChangeResult(header: header, revision: nil) }
            let appended = try Self.appendRevision(
                db, header: header, parentContent: current, content: next, origin: .workflow, author: author,
                message: message ?? defaultMessage, upstream: false, now: Timestamp.now())
            return ChangeResult(header: try Self.requireHeader(db, id: header.id), revision: appended)
        }
    }

    /// What `publish-due` does with an entry whose head is `head` with `content`, at `now`.
    public static func dueDecision(head: Int, content: Content, now: String) -> DueDecision {
        guard let publishAt = content.schedule.publishAt, publishAt <= now else { return .notDue }
        guard content.status == .approved, content.schedule.pinnedRevision == head else {
            return .changed(scheduled: content.schedule.pinnedRevision, head: head, status: content.status)
        }
        if let expireAt = content.schedule.expireAt, expireAt <= now { return .lapsed }
        return .publish
    }

    /// Does what is due at `now`: first takes off the site every live revision whose expiry
    /// has come, then publishes each due entry, oldest schedule first, each in a transaction of
    /// its own through the one write path.
    ///
    /// Each transaction reads the entry again and acts only if it is still in the state that was
    /// due (a compare-and-set on `head` and `live` inside the immediate transaction), so two runs
    /// at once, here or on another machine sharing the file, never act twice on one entry: the
    /// second finds the schedule fulfilled and passes over it. With `dryRun` nothing is written.
    public func publishDue(now: String, dryRun: Bool = false, author: String) throws -> PublishDueReport {
        var report = PublishDueReport(now: now, dryRun: dryRun)
        let (expiring, due) = try read { db in
            (try db.fetchAll("""
                SELECT e.id, e.live AS pointer, r.expire_at AS at FROM entry e
                JOIN revision r ON r.entry_id = e.id AND r.number = e.live
                WHERE r.expire_at IS NOT NULL AND r.expire_at <= \(now) ORDER BY r.expire_at, e.id
                """).map { (try $0["id"] as Int64, try $0["pointer"] as Int) },
             try db.fetchAll("""
                SELECT e.id, e.head AS pointer, r.publish_at AS at FROM entry e
                JOIN revision r ON r.entry_id = e.id AND r.number = e.head
                WHERE r.publish_at IS NOT NULL AND r.publish_at <= \(now) ORDER BY r.publish_at, e.id
                """).map { (try $0["id"] as Int64, try $0["pointer"] as Int) })
        }
        for (id, live) in expiring {
            let body = { (db: any StoreSession) throws -> DueItem? in
                try Self.expire(db, id: id, live: live, now: now, author: author, dryRun: dryRun)
            }
            if let item = try dryRun ? read(body) : write(body) { report.expired.append(item) }
        }
        for (id, head) in due {
            let body = { (db: any StoreSession) throws -> (DueDecision, DueItem, DueProblem?)? in
                try Self.publishIfDue(db, id: id, head: head, now: now, author: author, dryRun: dryRun)
            }
            guard let (decision, item, problem) = try dryRun ? read(body) : write(body) else { continue }
            switch decision {
            case .publish: report.published.append(item)
            case .lapsed: report.lapsed.append(item)
            case .changed: if let problem { report.notPublished.append(problem) }
            case .notDue: break
            }
        }
        return report
    }

    /// Takes entry `id` off the site if its live revision is still `live` and still expired.
    private static func expire(_ db: any StoreSession, id: Int64, live: Int, now: String, author: String, dryRun: Bool) throws -> DueItem? {
        guard let header = try fetchHeader(db, id: id), header.live == live else { return nil }  // done meanwhile
        let liveContent = try fetchContent(db, entryID: id, number: live)
        guard let expireAt = liveContent.schedule.expireAt, expireAt <= now else { return nil }
        if dryRun { return DueItem(slug: header.slug, at: expireAt, revision: nil) }
        let current = try fetchContent(db, entryID: id, number: header.head)
        let number = try maxRevision(db, entryID: id) + 1
        var next = current
        if current.status == .published {
            next.status = WorkflowAction.unpublish.target
            next.schedule = scheduleAfter(.unpublish, current.schedule)
        } else {
            // A newer draft or a scheduled version sits on top of the live one: it stays, only
            // the live revision leaves; a schedule pinning that head moves to the new number,
            // which holds the same content.
            next.schedule.expireAt = nil
            if current.schedule.pinnedRevision == header.head { next.schedule.pinnedRevision = number }
        }
        let appended = try appendRevision(
            db, header: header, parentContent: current, content: next, origin: .workflow, author: author,
            message: "expired \(expireAt)", upstream: false, now: Timestamp.now(), takeOffline: true)
        return DueItem(slug: header.slug, at: expireAt, revision: appended)
    }

    /// Publishes entry `id` if its head is still `head` and still due; the decision, the item,
    /// and the problem when it could not be published. Nil when it is no longer due.
    private static func publishIfDue(
        _ db: any StoreSession, id: Int64, head: Int, now: String, author: String, dryRun: Bool
    ) throws -> (DueDecision, DueItem, DueProblem?)? {
        guard let header = try fetchHeader(db, id: id) else { return nil }
        let current = try fetchContent(db, entryID: id, number: header.head)
        let decision = dueDecision(head: header.head, content: current, now: now)
        guard let at = current.schedule.publishAt else { return nil }
        var item = DueItem(slug: header.slug, at: at, revision: nil)
        switch decision {
        case .notDue:
            return nil
        case .changed(let scheduled, let actual, let status):
            let reason = scheduled.map { "changed since it was scheduled at r\($0): the head is r\(actual) (\(status.rawValue))" }
                ?? "its head r\(actual) is \(status.rawValue), not a scheduled approved revision"
            return (decision, item, DueProblem(
                slug: header.slug, at: at, scheduledRevision: scheduled, head: actual, status: status, reason: reason))
        case .publish, .lapsed:
            // The compare-and-set: another run may have acted between our read and this
            // transaction; then the head moved and this run leaves the entry alone.
            guard header.head == head else { return nil }
            if dryRun { return (decision, item, nil) }
            var next = current
            let message: String
            if decision == .publish {
                next.status = WorkflowAction.publish.target
                next.publishedAt = current.publishedAt ?? at  // published when it was scheduled to be
                next.schedule = scheduleAfter(.publish, current.schedule)
                message = "published as scheduled for \(at)"
            } else {
                next.schedule = Schedule()
                message = "schedule lapsed: it expired (\(current.schedule.expireAt ?? at)) before it was published"
            }
            item.revision = try appendRevision(
                db, header: header, parentContent: current, content: next, origin: .workflow, author: author,
                message: message, upstream: false, now: Timestamp.now())
            return (decision, item, nil)
        }
    }

    /// Schedules that should have been carried out more than `overdueGrace` before `now`: a
    /// sign that nothing runs `publish-due`.
    public func overdueSchedules(now: Date) throws -> [OverdueSchedule] {
        try read { db in try Self.overdueSchedules(db, now: now) }
    }

    static func overdueSchedules(_ db: any StoreSession, now: Date) throws -> [OverdueSchedule] {
        let limit = Timestamp.format(now.addingTimeInterval(-Self.overdueGrace))
        do {
            let publish = try db.fetchAll("""
                SELECT e.slug, r.publish_at AS at FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
                WHERE r.publish_at IS NOT NULL AND r.publish_at < \(limit) AND r.status = 'approved' AND r.scheduled_revision = e.head
                ORDER BY r.publish_at, e.id
                """).map { OverdueSchedule(slug: try $0["slug"], what: "publish", at: try $0["at"]) }
            let expire = try db.fetchAll("""
                SELECT e.slug, r.expire_at AS at FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.live
                WHERE r.expire_at IS NOT NULL AND r.expire_at < \(limit) ORDER BY r.expire_at, e.id
                """).map { OverdueSchedule(slug: try $0["slug"], what: "expire", at: try $0["at"]) }
            return publish + expire
        }
    }
}
