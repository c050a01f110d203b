import Foundation
import PMCMS

/// The command line's words for the core's values: each error the library throws (which carries
/// what happened, said in a sentence that names no face) becomes the message `pmcms` prints,
/// with the command or flag that helps next. The web desk words the same values its own way.
enum ErrorText {
    /// The message for `error`: the core's errors with the CLI's hints, any other error as it
    /// describes itself.
    static func message(_ error: any Error) -> String {
        switch error {
        case let error as StoreError: message(error)
        case let error as ScheduleError: message(error)
        case let error as RevisionNameError: message(error)
        case let error as OutputError: message(error)
        case let error as CLIError: error.message
        default: (error as? any LocalizedError)?.errorDescription ?? String(describing: error)
        }
    }

    static func message(_ error: StoreError) -> String {
        switch error {
        case .noStore(let path):
            return "no pmcms store at \(path); create one with `pmcms --db \(path) init` (or pass --db / set PMCMS_DB)"
        case .newerStore(let path, let unknown):
            return "the store \(path) was made by a newer pmcms (unknown migrations: \(unknown.joined(separator: ", "))); upgrade pmcms to open it"
        case .olderStore(let path, let missing):
            return "the store \(path) was made by an older pmcms and needs migrating to this version (missing: \(missing.joined(separator: ", "))); "
                + "this command does not write, so it leaves the store as it is: `pmcms --db \(path) init` migrates it (so does any command that writes)"
        case .unknownEntry(let ref):
            return "no entry '\(ref)': give an id or a slug (see `pmcms list`)"
        case .staleRevision(let slug, let expected, let actual):
            return "'\(slug)' changed since revision \(expected): it is now at revision \(actual). Compare with `pmcms diff \(slug) \(expected) \(actual)` and retry with --expect-rev \(actual)"
        case .unknownRevision(let slug, let number):
            return "'\(slug)' has no revision \(number) (see `pmcms history \(slug)`)"
        case .illegalTransition(let slug, _, let from):
            return error.description + nextSteps(slug: slug, from: from)
        case .messageRequired(let action):
            return "\(action.rawValue) needs a message: add -m \"why\""
        case .notAnAssignment(let text):
            return "invalid --set: '\(text)' is not FIELD=VALUE (fields: \(EditableField.allNames))"
        case .unknownField(let name):
            return "invalid --set: unknown field '\(name)' (fields: \(EditableField.allNames))"
        case .noLiveRevision(let slug):
            return "invalid revision: '\(slug)' has no live revision: it is not published"
        case .noWriteAheadLog(let path, let mode):
            return "invalid store: \(path) cannot use write-ahead logging (journal mode stays \(mode ?? "unknown"))"
        case .transactionWithoutResult:
            return "invalid transaction: produced no result"
        case .busy(let path):
            return "the store \(path) is busy: another pmcms kept it locked too long; try again"
        case .notAStore(let path, let reason):
            return "no pmcms store at \(path): \(text(reason, path: path))"
        case .readOnly(let path):
            return "the store \(path) is read-only for you (the file or its folder cannot be written): commands that read it still work; to change it, get write permission on the file and its folder, or work on a copy (`pmcms --db \(path) backup copy.sqlite`)"
        case .corrupt(let path):
            return "the store \(path) is damaged (SQLite reports a corrupt database): restore it from your latest backup (`pmcms backup` makes them), and keep the damaged file for inspection"
        case .selfApproval:
            return error.description + " (or allow it for everyone with `pmcms config review.self_approve true`)"
        case .unknownAccount(let name):
            return "no account '\(name)' (see `pmcms user list`)"
        case .accountExists(let name):
            return "there is already an account '\(name)'; change its password with `pmcms user passwd \(name)`"
        case .notOnThisBackend(let path, let operation):
            return "\(operation) does not work on PostgreSQL stores yet; copy the store to SQLite to do it there (`pmcms store copy \(path) store.sqlite`)"
        case .invalidField, .linksNeedAList, .notADate, .unknownStoredValue, .cannotOpen, .diskError, .headMoved:
            return error.description
        }
    }

    /// Why a file is not a store, with the command that makes one where there is one.
    static func text(_ reason: NotAStoreReason, path: String) -> String {
        switch reason {
        case .folder: "it is a folder; give the store file, e.g. \(path)/pmcms.sqlite"
        case .notARegularFile: "it is not a regular file"
        case .notSQLite: "it is not an SQLite database; pmcms leaves it untouched, choose another file"
        case .emptyFile: "the file is empty; `pmcms --db \(path) init` makes a store in it"
        case .foreign(let tables):
            "it is an SQLite database of another application (\(Plural.count(tables, "table")), none of them pmcms's); pmcms leaves it untouched, choose another file"
        case .emptyDatabase: "the database is empty; `pmcms --db \(path) init` makes a store in it"
        case .incomplete:
            "its tables are not all there (a store still being created, or one made by an older pmcms); `pmcms --db \(path) init` brings it up to date"
        }
    }

    /// The commands that move an entry on from `status` (the core's `Workflow.nextActions`),
    /// appended to a refusal: "; next: `pmcms submit SLUG`".
    static func nextSteps(slug: String, from status: Status) -> String {
        let actions = Workflow.nextActions(from: status)
        if actions == [.restore] { return "; bring it back with `pmcms restore \(slug)`" }
        if actions.isEmpty { return "" }
        let commands = actions.map { "`pmcms \($0.rawValue) \(slug)\($0.requiresMessage ? " -m WHY" : "")`" }
        return "; next: " + commands.joined(separator: " or ")
    }

    static func message(_ error: ScheduleError) -> String {
        switch error {
        case .badTime:
            return error.description
        case .notApproved(let slug, let status):
            if status == .published {
                return "cannot schedule '\(slug)': it is already published; to take it off the site later, `pmcms schedule \(slug) --expire TIME`"
            }
            return error.description + nextSteps(slug: slug, from: status)
        case .notPublished(let slug, let status):
            return "cannot set an expiry alone on '\(slug)': it is \(status.rawValue), and --expire without --at needs a published entry; schedule it with `pmcms schedule \(slug) --at TIME --expire TIME`\(status == .approved ? "" : nextSteps(slug: slug, from: status))"
        case .expiryNotAfterPublication:
            return error.description + ": give an --expire later than --at"
        case .nothingScheduled(let slug):
            return error.description + " (see `pmcms show \(slug)`)"
        }
    }

    static func message(_ error: RevisionNameError) -> String {
        switch error {
        case .notPublished(let slug), .noUpstream(let slug): error.description + " (see `pmcms history \(slug)`)"
        }
    }

    static func message(_ error: OutputError) -> String {
        switch error {
        case .refused: error.description
        case .readOnly(let path): "could not write \(path): it is read-only; add --force to replace it"
        case .specialFile(let path):
            "could not write \(path): it is a special file (a block device or a socket); pmcms writes to files, character devices and pipes only"
        }
    }

    /// A due entry that `publish-due` left unpublished: the core's reason, then how to schedule
    /// it again.
    static func reason(_ problem: DueProblem) -> String {
        problem.reason + "; approve it and schedule again (`pmcms schedule \(problem.slug) --at TIME`), or `pmcms schedule \(problem.slug) --cancel`"
    }

    /// The report with each problem's reason as the command line says it (text and `--json`).
    static func withHints(_ report: PublishDueReport) -> PublishDueReport {
        var report = report
        report.notPublished = report.notPublished.map { problem in
            var problem = problem
            problem.reason = reason(problem)
            return problem
        }
        return report
    }

    /// A finding's message with the command that deals with it, where there is one.
    static func message(_ finding: Finding) -> String {
        switch finding.detail {
        case .overdueSchedule?:
            return finding.message + ": is `pmcms publish-due` running (cron, a systemd timer or `pmcms serve`)? Run it now to catch up"
        case .importConflict(let head, let upstream)?:
            let slug = finding.slug ?? ""
            return finding.message + "; compare with `pmcms diff \(slug) \(head) \(upstream)`, then keep yours with an edit or take theirs with `pmcms revert \(slug) \(upstream)`"
        case nil:
            return finding.message
        }
    }

    /// The findings with their messages as the command line says them (text and `--json`).
    static func withHints(_ findings: [Finding]) -> [Finding] {
        findings.map { finding in
            var finding = finding
            finding.message = message(finding)
            return finding
        }
    }
}
