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

    /// Every action `status` allows, in the table's order.
    public static func allowedActions(from status: Status) -> [WorkflowAction] {
        WorkflowAction.allCases.filter { allows($0, from: status) }
    }

    /// The steps that move an entry on along the editorial path from `status` (submit, then
    /// approve or reject, then publish; restore for an archived entry): what a face suggests
    /// after a refusal. Archiving and unpublishing are allowed too, but are never a next step.
    public static func nextActions(from status: Status) -> [WorkflowAction] {
        switch status {
        case .draft: [.submit]
        case .inReview: [.approve, .reject]
        case .approved: [.publish]
        case .published: []
        case .archived: [.restore]
        }
    }
}
