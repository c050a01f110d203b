import ArgumentParser
import Foundation
import PMCMS

struct PublishDueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish-due",
        abstract: "Publish the scheduled entries that are due and take off those that have expired.",
        discussion: """
            First takes off the site every entry whose expiry has come, then publishes each \
            entry whose scheduled time has come, oldest first, each in its own transaction, and \
            only if its latest revision is still the one that was scheduled: one changed since \
            (edited, reverted, sent back to review) stays unpublished and is listed, and the \
            command exits 1. An entry whose expiry passed before it could be published is not \
            published; its schedule is dropped.

            Running it again does nothing more, and two runs at once (from cron and `pmcms \
            serve`, or from two machines sharing the file) never publish an entry twice. Run it \
            every minute from cron or a systemd timer (see the README); `pmcms serve` runs it \
            itself every minute. `pmcms check` warns when a schedule is more than 15 minutes late.

            Examples:
              pmcms publish-due
              pmcms publish-due --dry-run
              pmcms publish-due --now 2026-12-01T09:00:00Z --json
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Say what is due without changing anything.") var dryRun = false
    @Option(help: ArgumentHelp("Act as if it were this time (catching up, tests); default: now.", valueName: "time")) var now: String?
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if let now {
            do { _ = try ScheduleTime.parse(now, option: "--now") } catch let error as ScheduleError { throw ValidationError(ErrorText.message(error)) }
        }
    }

    func run() throws {
        let store = try global.openStore(dryRun ? .read : .write)
        let time = try now.map { try ScheduleTime.parse($0, option: "--now") } ?? Timestamp.now()
        let report = ErrorText.withHints(try store.publishDue(now: time, dryRun: dryRun, author: global.authorName))
        if output.json {
            print(try JSONOutput.string(report, pretty: true))
        } else {
            for line in Self.lines(report) { print(line) }
        }
        if !report.ok { throw ExitCode(1) }
    }

    /// The summary: one line per entry acted on, then the counts.
    static func lines(_ report: PublishDueReport) -> [String] {
        let would = report.dryRun ? "would be " : ""
        var lines: [String] = []
        for item in report.expired { lines.append("\(item.slug): \(would)taken off the site (expired \(item.at))\(revision(item))") }
        for item in report.published { lines.append("\(item.slug): \(would)published (scheduled for \(item.at))\(revision(item))") }
        for item in report.lapsed { lines.append("\(item.slug): \(would)not published: it expired before its time came; schedule dropped\(revision(item))") }
        for problem in report.notPublished { lines.append("\(problem.slug): not published (due \(problem.at)): \(problem.reason)") }
        lines.append("\(report.dryRun ? "dry run at" : "at") \(report.now): \(report.published.count) published, \(report.expired.count) expired, \(report.lapsed.count) lapsed, \(report.notPublished.count) not published")
        return lines
    }

    private static func revision(_ item: DueItem) -> String { item.revision.map { " (r\($0))" } ?? "" }
}
