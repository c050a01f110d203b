import Foundation

/// An entry waiting for review, with who sent it and when.
public struct ReviewItem: Sendable {
    public var entry: EntryView
    public var submittedBy: String
    public var submittedAt: String
}

extension ContentStore {
    /// Entries in review (and, when asked, in the other `statuses`), oldest first, with the
    /// author and time of the revision that put them there: for an approved entry, its approval.
    /// With `links: false` the entries come without their related links and cards (neither read
    /// nor resolved), for a list that prints only titles: on a seed-shaped question that is most
    /// of the work, 75 links decoded and looked up per entry.
    public func reviewQueue(statuses: [Status] = [.inReview], limit: Int? = nil, links: Bool = true) throws -> [ReviewItem] {
        try read { db in
            try db.fetchAll(Self.reviewQueueSQL(statuses: statuses, limit: limit)).map { row in
                let (header, number, content) = try Self.decodeView(row, links: links)
                return ReviewItem(
                    entry: try Self.viewResolvingLinks(db, header: header, revision: number, content: content),
                    submittedBy: try row["submitted_by"], submittedAt: try row["submitted_at"])
            }
        }
    }

    /// The queue's query. The statuses lead the join so that the `revision_by_status` index
    /// (migration 0010) finds the few revisions in them; a scan from `entry` would read the head
    /// revision of every entry, bodies included. Kept apart so that a test can check its plan.
    static func reviewQueueSQL(statuses: [Status], limit: Int?) -> SQLQuery {
        // The statuses are bound, one placeholder each.
        let values = statuses.isEmpty ? [Status.inReview.rawValue] : statuses.map(\.rawValue)
        var sql: SQLQuery = """
            SELECT \(sql: Self.viewColumns), r.author AS submitted_by, r.created_at AS submitted_at
            FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
            WHERE r.status IN \(literal: .list(values)) ORDER BY r.created_at ASC, e.id ASC
            """
        if let limit { sql += " LIMIT \(limit)" }
        return sql
    }
}
