// Public: a conformance of a public library type (below) is as public as the type.
public import ArgumentParser
import Foundation
import PMCMS

extension Origin: ExpressibleByArgument {}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the store-wide change log, newest first.",
        discussion: """
            One line per revision of any entry: time (UTC), entry slug, revision, origin, \
            author, status and message. Filters combine: --since keeps changes at or after a \
            date (YYYY-MM-DD, midnight UTC) or a time (YYYY-MM-DDTHH:MM:SSZ); --author and \
            --origin keep one author's or one kind of change. Without --limit the whole log is \
            printed; the newest rows are read first, so --limit stays fast on a large store.

            Options:
              --author <name>    Only changes by this author.
              --db <path>        The store (default: $PMCMS_DB, else ./pmcms.sqlite).

            Examples:
              pmcms log --limit 20
              pmcms log --since 2026-11-01 --author sam
              pmcms log --origin import --json
            """)

    // Here --author filters rather than signs, yet it is GlobalOptions' --author: the root
    // command takes --db and --author wherever they stand on the line (`pmcms log --db F`
    // too) and hands them on by type, to the subcommand's GlobalOptions only. An option group
    // of log's own got nothing: `log --db F` read ./pmcms.sqlite and `log --author` filtered
    // nothing. Hidden, because its help says "who makes the change"; the discussion says
    // what they mean here.
    @OptionGroup(visibility: .hidden) var global: GlobalOptions
    @Option(help: ArgumentHelp("Only changes at or after this date or time (UTC).", valueName: "date")) var since: String?
    @Option(help: "Only changes of this origin (\(Origin.allCases.map(\.rawValue).joined(separator: ", "))).") var origin: Origin?
    @Option(parsing: .unconditional, help: "At most this many changes.") var limit: Int?
    @OptionGroup var output: JSONFlag
    @OptionGroup var pager: PagerFlag

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let since, LogQuery.normalizedSince(since) == nil {
            throw ValidationError("--since '\(since)' is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
        }
        if let author = global.author, author.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--author is empty") }
    }

    func run() throws {
        let store = try global.openStore(.read)
        let query = LogQuery(since: since.flatMap(LogQuery.normalizedSince), author: global.author, origin: origin, limit: limit)
        let revisions = try store.log(query)
        Pager.start(unless: pager.noPager)
        if output.json {
            print(try JSONOutput.string(revisions, pretty: true))
            return
        }
        if revisions.isEmpty {
            if Terminal.stdoutIsTerminal { print("no changes") }
            return
        }
        let slugWidth = min(revisions.map(\.slug.count).max() ?? 0, 40)
        let numberWidth = revisions.map { "r\($0.number)".count }.max() ?? 2
        let authorWidth = min(revisions.map(\.author.count).max() ?? 0, 16)
        for info in revisions {
            var line = HistoryText.time(info.createdAt)
            line += "  " + Terminal.styled(HistoryText.pad(info.slug, slugWidth), .bold)
            line += "  " + "r\(info.number)".padding(toLength: numberWidth, withPad: " ", startingAt: 0)
            line += "  " + Terminal.styled(HistoryText.pad(info.origin.rawValue, 8), .cyan)
            line += "  " + HistoryText.pad(Terminal.oneLine(info.author), authorWidth)
            line += "  " + Terminal.styled(HistoryText.pad(info.status.rawValue, 9), EntryLine.color(info.status))
            line += "  " + Terminal.oneLine(info.message ?? "")
            if info.upstream { line += "  " + Terminal.styled("[upstream, unmerged]", .yellow) }
            if let publishAt = info.publishAt { line += "  " + Terminal.styled("[publish \(HistoryText.time(publishAt))]", .yellow) }
            if let expireAt = info.expireAt { line += "  " + Terminal.styled("[expire \(HistoryText.time(expireAt))]", .yellow) }
            print(line.trimmingTrailingSpaces())
        }
    }
}
