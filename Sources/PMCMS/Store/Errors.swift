public import Foundation  // LocalizedError conformance

/// Errors from the content store, each with a message a user can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case noStore(path: String)
    case newerStore(path: String, unknown: [String])
    case unknownEntry(ref: String)
    case staleRevision(slug: String, expected: Int, actual: Int)
    case unknownRevision(slug: String, number: Int)
    case illegalTransition(slug: String, action: WorkflowAction, from: Status)
    case messageRequired(action: WorkflowAction)
    case invalidField(name: String, reason: String)
    case busy(path: String)
    /// The file is there but is not a pmcms store (empty, foreign, or not SQLite at all).
    case notAStore(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    case readOnly(path: String)
    case corrupt(path: String)
    case diskError(path: String)
    /// An approval by someone who wrote part of the change (see `ContentStore.mayApprove`).
    case selfApproval(slug: String, author: String)
    case unknownAccount(name: String)
    case accountExists(name: String)

    public var description: String {
        switch self {
        case .noStore(let path):
            return "no pmcms store at \(path); create one with `pmcms --db \(path) init` (or pass --db / set PMCMS_DB)"
        case .newerStore(let path, let unknown):
            return "the store \(path) was made by a newer pmcms (unknown migrations: \(unknown.joined(separator: ", "))); upgrade pmcms to open it"
        case .unknownEntry(let ref):
            return "no entry '\(ref)': give an id or a slug (see `pmcms list`)"
        case .staleRevision(let slug, let expected, let actual):
            return "'\(slug)' changed since revision \(expected): it is now at revision \(actual). Compare with `pmcms diff \(slug) \(expected) \(actual)` and retry with --expect-rev \(actual)"
        case .unknownRevision(let slug, let number):
            return "'\(slug)' has no revision \(number) (see `pmcms history \(slug)`)"
        case .illegalTransition(let slug, let action, let from):
            return "cannot \(action.rawValue) '\(slug)': it is \(from.rawValue), and \(action.rawValue) needs \(action.allowedFrom.map(\.rawValue).joined(separator: " or "))\(Workflow.hint(slug: slug, from: from))"
        case .messageRequired(let action):
            return "\(action.rawValue) needs a message: add -m \"why\""
        case .invalidField(let name, let reason):
            return "invalid \(name): \(reason)"
        case .busy(let path):
            return "the store \(path) is busy: another pmcms kept it locked too long; try again"
        case .notAStore(let path, let reason):
            return "no pmcms store at \(path): \(reason)"
        case .cannotOpen(let path, let reason):
            return "cannot open the store \(path): \(reason)"
        case .readOnly(let path):
            return "the store \(path) is read-only for you (the file or its folder cannot be written): commands that read it still work; to change it, get write permission on the file and its folder, or work on a copy (`pmcms --db \(path) backup copy.sqlite`)"
        case .corrupt(let path):
            return "the store \(path) is damaged (SQLite reports a corrupt database): restore it from your latest backup (`pmcms backup` makes them), and keep the damaged file for inspection"
        case .diskError(let path):
            return "reading or writing the store \(path) failed with a disk error: check that the disk is not full or failing and that the file is still there, then try again"
        case .selfApproval(let slug, let author):
            return "\(author) cannot approve '\(slug)': \(author) wrote part of the change; another reviewer approves it (or allow it for everyone with `pmcms config review.self_approve true`)"
        case .unknownAccount(let name):
            return "no account '\(name)' (see `pmcms user list`)"
        case .accountExists(let name):
            return "there is already an account '\(name)'; change its password with `pmcms user passwd \(name)`"
        }
    }
}

extension StoreError: LocalizedError {
    public var errorDescription: String? { description }
}
