import Foundation
import PMCMS
import Testing
import TestBackends

/// `export json` and `export ndjson` take the entry object from SQLite (`streamEntryJSON`), while
/// `show --json`, `--with-history` and the library's views encode `EntryView`. The two must be
/// the same object, byte for byte, or the public interface would depend on the command.
@Suite("The entry object built by SQLite", .sqliteOnly("the entry object SQLite builds (streamEntryJSON); on PostgreSQL the exports encode EntryView"))
struct EntryObjectSQLTests {
    /// The export fixture plus a question whose links exercise every way of resolving one: by
    /// slug only, by URL, a slug that names nothing (falling back to the URL), a link to nothing,
    /// and enough of them to show that order is kept.
    func makeStore() throws -> (ContentStore, URL) {
        let (store, folder) = try Fixture.makeStore()
        let article = try #require(try store.list(ListQuery(kind: .article)).first { $0.content.title == "Project portfolio management tools" })
        var related = [
            LinkRef(title: "By slug only", slug: article.slug),
            LinkRef(title: "By URL", url: "https://www.example.org/faq/is-pmo-more-senior-than-project-manager"),
            LinkRef(title: "Unknown slug, known URL", url: "https://www.example.org/articles/ppm-tools", slug: "no-such-entry"),
            LinkRef(title: "Nowhere", url: "https://elsewhere.example.com/x"),
        ]
        related += (1...80).map { LinkRef(title: "Related \($0) \"quoted\" <b>", url: "https://www.example.org/faq/q-\($0)") }
        try store.createEntry(
            kind: .question,
            content: Content(
                status: .published, title: "Which links resolve?", body: "See *below*.\n\n| a | b |\n|---|---|\n| 1 | 2 |",
                related: related,
                articles: [LinkRef(title: "Card by slug", slug: article.slug), LinkRef(title: "Card nowhere", url: "https://www.example.org/articles/none")]),
            author: "fixture", origin: .import)
        return (store, folder)
    }

    @Test("the same bytes as EntryView's encoding", arguments: [StreamSelection.live, .head])
    func sameAsEntryView(selection: StreamSelection) throws {
        let (store, folder) = try makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let query = StreamQuery(selection: selection)
        var fromSQL: [String] = []
        try store.streamEntryJSON(query) { fromSQL.append(String(decoding: $0, as: UTF8.self)) }
        var fromSwift: [String] = []
        try store.stream(query) { fromSwift.append(try JSONOutput.string($0.view, pretty: false)) }
        #expect(fromSQL.count == fromSwift.count)
        #expect(fromSQL.count >= 6)
        for (sql, swift) in zip(fromSQL, fromSwift) {
            #expect(sql == swift)
        }
        // The question above really has its 84 links, resolved as intended.
        let question = try #require(fromSQL.first { $0.contains("Which links resolve?") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(question.utf8)) as? [String: Any])
        let links = try #require(object["related"] as? [[String: Any]])
        #expect(links.count == 84)
        #expect(links[0]["url"] as? String == "https://www.example.org/articles/ppm-tools")
        #expect(links[1]["slug"] as? String == "is-pmo-more-senior-than-project-manager")
        #expect(links[2]["slug"] as? String != nil)
        #expect(links[3]["slug"] is NSNull)
        #expect(links[83]["title"] as? String == "Related 80 \"quoted\" <b>")
    }
}
