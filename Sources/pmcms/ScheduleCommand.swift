import ArgumentParser
import PMCMS

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Set an approved entry to go live at a time, a published one to expire, or cancel a schedule.",
        discussion: """
            --at pins the entry's current approved revision to go live at TIME (with --expire, to \
            leave the site at the second TIME); --expire alone sets when a published entry leaves \
            the site (--expire none clears it); --cancel drops the schedule. Each is one revision \
            with origin "workflow", shown by history, diff and log; the content and status stay \
            as they are.

            Nothing happens by itself at TIME: `pmcms publish-due` (run by cron, a systemd timer \
            or `pmcms serve`) publishes what is due and takes off what has expired. Exports and \
            feeds never show an entry before its time or after its expiry, even if publish-due has \
            not run yet. If the entry changes after it was scheduled (an edit, a revert, a new \
            review), publish-due does not publish it and says so: approve it and schedule again.

            TIME is a date (2026-12-01, meaning midnight UTC) or a time with Z or an offset \
            (2026-12-01T09:00:00Z, 2026-12-01T10:00:00+01:00); it is stored and shown in UTC.

            Examples:
              pmcms schedule course-launch-faq --at 2026-12-01T09:00:00+01:00
              pmcms schedule price-list --at 2026-12-01 --expire 2027-01-01 -m "December prices"
              pmcms schedule price-list --expire 2027-02-01
              pmcms schedule price-list --expire none
              pmcms schedule course-launch-faq --cancel
              pmcms list --status scheduled
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EntryRef
    @Option(help: ArgumentHelp("When the approved entry goes live.", valueName: "time")) var at: String?
    @Option(help: ArgumentHelp("When it leaves the site; `none` clears an expiry.", valueName: "time")) var expire: String?
    @Flag(help: "Drop the entry's schedule.") var cancel = false
    @Option(name: .shortAndLong, help: "A message for the revision.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?

    func validate() throws {
        if cancel && (at != nil || expire != nil) { throw ValidationError("--cancel takes no --at or --expire") }
        if !cancel && at == nil && expire == nil { throw ValidationError("give --at TIME, --expire TIME or --cancel") }
        if at != nil && expire == "none" { throw ValidationError("--expire none clears an expiry: give it without --at") }
        do {
            _ = try change()
        } catch let error as ScheduleError {
            throw ValidationError(ErrorText.message(error))
        }
    }

    /// The change the flags ask for, times in canonical UTC.
    func change() throws -> ScheduleChange {
        if cancel { return .cancel }
        let expiry = try expire.flatMap { $0 == "none" ? nil : try ScheduleTime.parse($0, option: "--expire") }
        if let at { return .publish(at: try ScheduleTime.parse(at, option: "--at"), expire: expiry) }
        return .expire(expiry)
    }

    func run() throws {
        let store = try global.openStore(.write)
        let result: ChangeResult
        do {
            result = try store.schedule(target.ref, try change(), author: global.authorName, message: message, expectRevision: expectRev)
        } catch let error as ScheduleError {
            throw CLIError(message: ErrorText.message(error))
        }
        let entry = try store.entry(String(result.header.id))
        var line = "\(result.header.slug): "
        line += entry.content.schedule.summary.map { "scheduled: \($0)" } ?? "no schedule"
        line += result.changed ? " (r\(result.header.head))" : " (unchanged, r\(result.header.head))"
        print(line)
    }
}
