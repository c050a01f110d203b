import ArgumentParser
import Foundation
import PMCMS

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find entries by their words, best match first.",
        discussion: """
            Searches the current title, summary and body of every entry (SQLite FTS5, ranked by \
            bm25 with the title weighted highest). Accents and case are ignored: "resume" finds \
            "résumé". What you type is searched as words: non-IT, what's and c++ find those words. \
            Deliberate syntax is kept: "exact phrases", prefix*, and AND / OR / NOT in capitals \
            between words. A query is at most \(SearchSyntax.maxCharacters) characters and \(SearchSyntax.maxTerms) terms.

            Examples:
              pmcms search "scrum master"
              pmcms search 'manag*' --kind question --limit 5
              pmcms search 'PMO NOT agile' --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The words to find.") var query: [String]
    @Option(help: "Only entries of this kind.") var kind: Kind?
    @Option(help: "Only entries with this status.") var status: Status?
    @Option(parsing: .unconditional, help: "At most this many results (default 20).") var limit: Int = 20
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if query.joined().trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("give words to search for") }
        do {
            _ = try SearchSyntax.fts(query.joined(separator: " "))
        } catch let error as SearchSyntax.QueryError {
            throw ValidationError(error.description)
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    struct HitJSON: Encodable {
        let id: Int64, slug: String, kind: Kind, status: Status, title: String, snippet: String, rank: Double
    }

    func run() throws {
        let store = try global.openStore(.read)
        let hits = try store.search(SearchQuery(query.joined(separator: " "), kind: kind, status: status, limit: limit))
        if output.json {
            let plain = hits.map {
                HitJSON(id: $0.id, slug: $0.slug, kind: $0.kind, status: $0.status, title: $0.title,
                        snippet: Self.highlight($0.snippet, open: "<mark>", close: "</mark>"), rank: $0.rank)
            }
            print(try JSONOutput.string(plain, pretty: true))
            return
        }
        if hits.isEmpty {
            print("no entries match")
            return
        }
        // The marks are `Terminal`'s own, as every other colour is: an ESC written
        // here would be taken for content's and printed as `\e`.
        let (open, close) = Terminal.colorEnabled ? Terminal.bounds(.highlight) : ("[", "]")
        for hit in hits {
            print("\(Terminal.styled(hit.slug, .bold))  \(hit.kind.rawValue) · \(hit.status.rawValue)")
            print("  \(hit.title)")
            print("  \(Self.highlight(hit.snippet.replacingOccurrences(of: "\n", with: " "), open: open, close: close))")
        }
    }

    static func highlight(_ snippet: String, open: String, close: String) -> String {
        snippet.replacingOccurrences(of: SearchHit.markOpen, with: open).replacingOccurrences(of: SearchHit.markClose, with: close)
    }
}
