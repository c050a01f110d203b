import ArgumentParser
import Foundation
import PMCMS

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List what waits for review, oldest first, with who sent it and when.",
        discussion: """
            The review queue: every entry in review, with the author who submitted it and how \
            long it has waited. The same as `pmcms list --status in_review`, oldest first. Then \
            the entries with a schedule (`pmcms schedule`), with their publication time and \
            expiry (`pmcms list --status scheduled --json` gives them as JSON).

            Examples:
              pmcms review
              pmcms approve 12 -m 'clear and sourced'
              pmcms reject 14 -m 'the answer needs a source'
            """)

    @OptionGroup var global: GlobalOptions
    @Option(parsing: .unconditional, help: "At most this many entries.") var limit: Int?
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let store = try global.openStore(.read)
        let queue = try store.reviewQueue(limit: limit)
        if output.json {
            print(try JSONOutput.string(queue.map(ReviewItemJSON.init), pretty: true))
            return
        }
        let now = Date()
        if queue.isEmpty {
            print("nothing waits for review")
        } else {
            let slugWidth = EntryLine.slugWidth(queue.map(\.entry))
            for item in queue {
                print(EntryLine.format(item.entry, now: now, slugWidth: slugWidth, author: item.submittedBy, since: item.submittedAt))
            }
        }
        // What is set to go live or to leave the site, so that a reviewer sees what comes next.
        let scheduled = try store.list(ListQuery(scheduled: true, sort: .id))
        if !scheduled.isEmpty {
            print("")
            print(Terminal.styled("Scheduled (\(scheduled.count))", .bold))
            let slugWidth = EntryLine.slugWidth(scheduled)
            for entry in scheduled { print(EntryLine.format(entry, now: now, slugWidth: slugWidth)) }
        }
    }
}

/// An entry of the review queue as JSON: the entry's own object plus who submitted it and when,
/// which the text shows too.
struct ReviewItemJSON: Encodable {
    let item: ReviewItem

    enum Key: String, CodingKey {
        case submittedBy = "submitted_by", submittedAt = "submitted_at"
    }

    func encode(to encoder: any Encoder) throws {
        try item.entry.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(item.submittedBy, forKey: .submittedBy)
        try container.encode(item.submittedAt, forKey: .submittedAt)
    }
}
