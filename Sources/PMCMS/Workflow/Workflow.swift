/// A workflow command, each moving an entry from some statuses to one other.
public enum WorkflowAction: String, Sendable, CaseIterable {
    case submit, approve, reject, publish, unpublish, archive, restore

    /// The statuses this action may start from.
    public var allowedFrom: [Status] {
        switch self {
        case .submit: [.draft]
        case .approve: [.inReview]
        case .reject: [.inReview]
        case .publish: [.approved]
        case .unpublish: [.published]
        case .archive: [.draft, .inReview, .approved, .published]
        case .restore: [.archived]
        }
    }

    /// The status the entry has afterwards.
    public var target: Status {
        switch self {
        case .submit: .inReview
        case .approve: .approved
        case .reject: .draft
        case .publish: .published
        case .unpublish: .draft
        case .archive: .archived
        case .restore: .draft
        }
    }

    /// Rejecting without saying why helps no author, so it needs a message.
    public var requiresMessage: Bool { self == .reject }
}

/// The legal-transition table of the editorial workflow.
public enum Workflow {
    /// Whether `action` may run on an entry whose current status is `status`.
    public static func allows(_ action: WorkflowAction, from status: Status) -> Bool {
        action.allowedFrom.contains(status)
    }

    /// The next command that would move an entry on from `status`, to put in error messages.
    static func hint(slug: String, from status: Status) -> String {
        switch status {
        case .draft: "; next: `pmcms submit \(slug)`"
        case .inReview: "; next: `pmcms approve \(slug)` or `pmcms reject \(slug) -m WHY`"
        case .approved: "; next: `pmcms publish \(slug)`"
        case .published: ""
        case .archived: "; bring it back with `pmcms restore \(slug)`"
        }
    }
}
