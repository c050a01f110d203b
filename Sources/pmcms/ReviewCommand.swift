import ArgumentParser
import Foundation
import PMCMS

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List what waits for review, oldest first, with who sent it and when.",
        discussion: """
            The review queue: every entry in review, with the author who submitted it and how \
            long it has waited. The same as `pmcms list --status in_review`, oldest first.

            Examples:
              pmcms review
              pmcms approve 12 -m 'clear and sourced'
              pmcms reject 14 -m 'the answer needs a source'
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "At most this many entries.") var limit: Int?
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let store = try global.openStore(.read)
        let queue = try store.reviewQueue(limit: limit)
        if output.json {
            print(try JSONOutput.string(queue.map(\.entry), pretty: true))
            return
        }
        if queue.isEmpty {
            print("nothing waits for review")
            return
        }
        let now = Date()
        for item in queue {
            print(EntryLine.format(item.entry, now: now, author: item.submittedBy, since: item.submittedAt))
        }
    }
}
