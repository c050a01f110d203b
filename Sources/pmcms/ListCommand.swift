// Public: a conformance of a public library type (below) is as public as the type.
public import ArgumentParser
import Foundation
import PMCMS

extension Kind: ExpressibleByArgument {}
extension Status: ExpressibleByArgument {}
extension ListSort: ExpressibleByArgument {}

/// `list --status`: a workflow status, or `scheduled` (entries with a publication time or an
/// expiry, whatever their status).
enum ListStatus: ExpressibleByArgument, Equatable {
    case status(Status)
    case scheduled

    init?(argument: String) {
        if argument == "scheduled" {
            self = .scheduled
        } else if let status = Status(rawValue: argument) {
            self = .status(status)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { Status.allCases.map(\.rawValue) + ["scheduled"] }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List entries, one line each.",
        discussion: """
            Shows each entry's id, status, kind, revision, slug and title, newest change first. \
            The status and revision are the entry's current ones; "live r4" marks an entry whose \
            published revision is not its latest.

            Examples:
              pmcms list --kind question --status published
              pmcms list --status in_review          # the review queue
              pmcms list --status scheduled          # what goes live or expires
              pmcms list --sort title --limit 20 --json
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only entries of this kind (\(Kind.allCases.map(\.rawValue).joined(separator: ", "))).") var kind: Kind?
    @Option(help: "Only entries with this status; scheduled: those with a publication time or an expiry.") var status: ListStatus?
    @Option(help: "Order: \(ListSort.allCases.map(\.rawValue).joined(separator: ", ")).") var sort: ListSort = .updated
    @Option(parsing: .unconditional, help: "At most this many entries.") var limit: Int?
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let store = try global.openStore(.read)
        var query = ListQuery(kind: kind, sort: sort, limit: limit)
        switch status {
        case .status(let value): query.status = value
        case .scheduled: query.scheduled = true
        case nil: break
        }
        let entries = try store.list(query)
        if output.json {
            print(try JSONOutput.string(entries, pretty: true))
            return
        }
        if entries.isEmpty {
            if Terminal.stdoutIsTerminal { print("no entries") }
            return
        }
        let now = Date()
        // The review queue shows who is waiting and for how long.
        let submitters = status == .status(.inReview)
            ? Dictionary(try store.reviewQueue().map { ($0.entry.id, ($0.submittedBy, $0.submittedAt)) }, uniquingKeysWith: { a, _ in a })
            : [:]
        let slugWidth = EntryLine.slugWidth(entries)
        for entry in entries {
            let submitter = submitters[entry.id]
            print(EntryLine.format(entry, now: now, slugWidth: slugWidth, author: submitter?.0, since: submitter?.1))
        }
    }
}

/// One line describing an entry, shared by `list` and `review`.
enum EntryLine {
    /// The slug column's width: the longest slug shown, up to 40 characters.
    static func slugWidth(_ entries: [EntryView]) -> Int {
        min(40, entries.map(\.slug.count).max() ?? 0)
    }

    static func format(_ entry: EntryView, now: Date, slugWidth: Int = 0, author: String? = nil, since: String? = nil) -> String {
        let status = entry.content.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
        var revision = "r\(entry.revision)"
        if let live = entry.header.live, live != entry.revision { revision += " (live r\(live))" }
        var line = "\(String(entry.id).leftPad(4))  \(Terminal.styled(status, color(entry.content.status)))  "
        line += "\(entry.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  "
        line += "\(revision.padding(toLength: 13, withPad: " ", startingAt: 0))  "
        line += entry.slug.count < slugWidth ? entry.slug.padding(toLength: slugWidth, withPad: " ", startingAt: 0) : entry.slug
        line += "  \(entry.content.title)"
        if let schedule = entry.content.schedule.summary { line += Terminal.styled("  (\(schedule))", .dim) }
        if let author {
            line += "  (by \(author), \(age(since: since ?? entry.header.updatedAt, now: now)))"
        }
        return line
    }

    static func color(_ status: Status) -> Terminal.Style {
        switch status {
        case .draft: .yellow
        case .inReview: .cyan
        case .approved: .green
        case .published: .green
        case .archived: .dim
        }
    }

    /// "3 days ago", for the review queue.
    static func age(since timestamp: String, now: Date) -> String {
        guard let date = Timestamp.parse(timestamp) else { return timestamp }
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return "\(seconds / 60) min ago"
        case ..<86_400: return "\(seconds / 3600) h ago"
        default:
            let days = seconds / 86_400
            return "\(Plural.count(days, "day")) ago"
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
