public import Foundation  // LocalizedError conformance

/// Errors from the content store, as values a face can act on.
///
/// Each case carries what happened (the path, the entry, the revisions, the workflow step), and
/// `description` says it as a plain sentence that names no face: the command line adds its own
/// hints (which command to run next), the web desk its own wording.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case noStore(path: String)
    case newerStore(path: String, unknown: [String])
    /// A pmcms store not yet migrated to this version (made by an older pmcms), opened by a
    /// command that does not write (a read, a dry run), so it cannot migrate it.
    case olderStore(path: String, missing: [String])
    case unknownEntry(ref: String)
    /// A write based on revision `expected` when the entry is at `actual`: nothing was written.
    case staleRevision(slug: String, expected: Int, actual: Int)
    case unknownRevision(slug: String, number: Int)
    /// A workflow step the entry's status does not allow; `nextActions` says which would move it on.
    case illegalTransition(slug: String, action: WorkflowAction, from: Status)
    case messageRequired(action: WorkflowAction)
    /// A value the content model, a setting or an account rule refuses, by field name.
    case invalidField(name: String, reason: String)
    /// `FIELD=VALUE` text without the `=`.
    case notAnAssignment(text: String)
    /// A field name that is not one of `EditableField`'s.
    case unknownField(name: String)
    /// Links are set as a list of references, never as one scalar value.
    case linksNeedAList(field: EditableField)
    /// Text that is not a date where a date is asked for (`field` names where).
    case notADate(field: String, text: String)
    /// The live revision was asked of an entry that is not published.
    case noLiveRevision(slug: String)
    /// A stored value that no version of the program writes (a damaged or hand-edited store).
    case unknownStoredValue(type: String, value: String)
    /// SQLite would not switch the store to write-ahead logging (`mode` is what it kept).
    case noWriteAheadLog(path: String, mode: String?)
    /// A write transaction ended without the value its body returns (a programming error).
    case transactionWithoutResult
    case busy(path: String)
    /// The file is there but is not a store (empty, foreign, or not SQLite at all).
    case notAStore(path: String, reason: NotAStoreReason)
    case cannotOpen(path: String, reason: String)
    case readOnly(path: String)
    case corrupt(path: String)
    case diskError(path: String)
    /// An approval by someone who wrote part of the change (see `ContentStore.mayApprove`).
    case selfApproval(slug: String, author: String)
    case unknownAccount(name: String)
    case accountExists(name: String)
    /// Something the store at `path` cannot do on its backend yet (PostgreSQL, issue 19):
    /// `operation` says what, in words.
    case notOnThisBackend(path: String, operation: String)
    /// Another writer moved the entry's head from `seen` while this change was being made (a
    /// compare-and-set that found no row): the backend runs the change again, which then sees
    /// the new head. Reaches a face only if the race goes on past every retry.
    case headMoved(slug: String, seen: Int)

    /// The steps that would move the entry on, for a refused workflow step; empty otherwise.
    public var nextActions: [WorkflowAction] {
        if case .illegalTransition(_, _, let from) = self { return Workflow.nextActions(from: from) }
        return []
    }

    public var description: String {
        switch self {
        case .noStore(let path):
            return "no store at \(path)"
        case .newerStore(let path, let unknown):
            return "the store \(path) was made by a newer version (unknown migrations: \(unknown.joined(separator: ", "))); open it with that version or a later one"
        case .olderStore(let path, let missing):
            return "the store \(path) was made by an older version and needs migrating (missing: \(missing.joined(separator: ", "))); "
                + "a command that does not write leaves it as it is, and any write migrates it"
        case .unknownEntry(let ref):
            return "no entry '\(ref)'"
        case .staleRevision(let slug, let expected, let actual):
            return "'\(slug)' changed since revision \(expected): it is now at revision \(actual)"
        case .unknownRevision(let slug, let number):
            return "'\(slug)' has no revision \(number)"
        case .illegalTransition(let slug, let action, let from):
            return "cannot \(action.rawValue) '\(slug)': it is \(from.rawValue), and \(action.rawValue) needs \(action.allowedFrom.map(\.rawValue).joined(separator: " or "))"
        case .messageRequired(let action):
            return "\(action.rawValue) needs a message saying why"
        case .invalidField(let name, let reason):
            return "invalid \(name): \(reason)"
        case .notAnAssignment(let text):
            return "'\(text)' is not FIELD=VALUE (fields: \(EditableField.allNames))"
        case .unknownField(let name):
            return "unknown field '\(name)' (fields: \(EditableField.allNames))"
        case .linksNeedAList(let field):
            return "invalid \(field.rawValue): links are set as a list of slugs or URLs"
        case .notADate(let field, let text):
            return "invalid \(field): '\(text)' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"
        case .noLiveRevision(let slug):
            return "'\(slug)' has no live revision: it is not published"
        case .unknownStoredValue(let type, let value):
            return "invalid \(type): unknown value '\(value)' in the store"
        case .noWriteAheadLog(let path, let mode):
            return "the store \(path) cannot use write-ahead logging (journal mode stays \(mode ?? "unknown"))"
        case .transactionWithoutResult:
            return "a write ended without its result; nothing is known to be wrong with the store"
        case .headMoved(let slug, let seen):
            return "another writer changed '\(slug)' (from r\(seen)) at the same moment, again and again; nothing was written, try again"
        case .notOnThisBackend(let path, let operation):
            return "\(operation) does not work on PostgreSQL stores yet (\(path)); copy the store to a SQLite file to do it there"
        case .busy(let path):
            return "the store \(path) is busy: another program kept it locked too long; try again"
        case .notAStore(let path, let reason):
            return "no store at \(path): \(reason)"
        case .cannotOpen(let path, let reason):
            return "cannot open the store \(path): \(reason)"
        case .readOnly(let path):
            return "the store \(path) is read-only for you (the file or its folder cannot be written): reading it still works; to change it, get write permission on the file and its folder, or work on a copy"
        case .corrupt(let path):
            return "the store \(path) is damaged (SQLite reports a corrupt database): restore it from your latest backup, and keep the damaged file for inspection"
        case .diskError(let path):
            return "reading or writing the store \(path) failed with a disk error: check that the disk is not full or failing and that the file is still there, then try again"
        case .selfApproval(let slug, let author):
            return "\(author) cannot approve '\(slug)': \(author) wrote part of the change; another reviewer approves it"
        case .unknownAccount(let name):
            return "no account '\(name)'"
        case .accountExists(let name):
            return "there is already an account '\(name)'"
        }
    }
}

extension StoreError: LocalizedError {
    public var errorDescription: String? { description }
}

/// Why a file that exists is not a store.
public enum NotAStoreReason: Equatable, Sendable, CustomStringConvertible {
    /// A folder was given (the store file inside it was meant, most likely).
    case folder
    /// A device, a socket or a pipe.
    case notARegularFile
    /// A file that does not start with SQLite's header: left untouched.
    case notSQLite
    /// A file of zero bytes: creating a store makes one in it.
    case emptyFile
    /// Another application's SQLite database (`tables` tables, none of the store's): left untouched.
    case foreign(tables: Int)
    /// An SQLite database without tables: creating a store makes one in it.
    case emptyDatabase
    /// Some of the store's migrations are missing (a store being created, or an older one).
    case incomplete

    /// Whether creating a store in the file (with `StoreAccess.create`) would make it one.
    public var creatingMakesAStore: Bool { self == .emptyFile || self == .emptyDatabase || self == .incomplete }

    public var description: String {
        switch self {
        case .folder: "it is a folder; give the store file inside it"
        case .notARegularFile: "it is not a regular file"
        case .notSQLite: "it is not an SQLite database; it is left untouched, choose another file"
        case .emptyFile: "the file is empty; creating a store makes one in it"
        case .foreign(let tables):
            "it is an SQLite database of another application (\(Plural.count(tables, "table")), none of them the store's); it is left untouched, choose another file"
        case .emptyDatabase: "the database is empty; creating a store makes one in it"
        case .incomplete: "its tables are not all there (a store still being created, or one made by an older version); creating the store again brings it up to date"
        }
    }
}
