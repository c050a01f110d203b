import PMCMS

/// The line `edit` prints once a change is written, from flags or from the editor: the entry,
/// the revision written, whether the live revision stays, and what the edit did to a review.
enum RevisionSummary {
    /// For a change that wrote `revision`; `before` is the status the entry had before it
    /// (nil: not known, no note).
    static func line(_ result: ChangeResult, revision: Int, before: Status?) -> String {
        var line = "\(result.header.slug): r\(revision)"
        if let live = result.header.live, live != revision { line += " (draft; live stays r\(live))" }
        return line + (before.map(statusNote) ?? "")
    }

    /// What the line adds when an edit took the entry out of review or approval.
    static func statusNote(before: Status) -> String {
        switch before {
        case .inReview: "; it was in review: back to draft and out of the review queue (submit it again)"
        case .approved: "; it was approved: back to draft (submit it again)"
        default: ""
        }
    }

    /// The note on standard error after an edit of an entry scheduled to publish (`before` is
    /// its schedule before the edit): the store carries the schedule, but it pins the revision
    /// that was scheduled, so `publish-due` will not publish the edit. Nil when nothing was
    /// scheduled to publish.
    static func scheduleNote(slug: String, before: Schedule) -> String? {
        guard let at = before.publishAt else { return nil }
        let pinned = before.pinnedRevision.map { " (r\($0))" } ?? ""
        return "pmcms: note: '\(slug)' was scheduled to publish at \(at)\(pinned); the schedule stays but does not cover this edit, "
            + "so publish-due will not publish it: submit and approve it, then `pmcms schedule \(slug) --at \(at)` again"
    }
}
