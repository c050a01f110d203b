import Foundation
import PMCMS
import PostgresStore
import Testing

/// `export json` and `export ndjson` take the entry object from the database
/// (`ContentStore.streamEntryJSON`): on PostgreSQL it is built by PostgreSQL's JSON functions,
/// as on SQLite by SQLite's. It must be SQLite's object byte for byte, and `EntryView`'s.
@Suite("The entry object built by PostgreSQL")
struct EntryObjectPostgresTests {
    /// A SQLite store whose links exercise every way of resolving one (by slug only, by URL, a
    /// slug that names nothing falling back to the URL, a link to nothing, enough of them to show
    /// that order is kept, none at all), text that JSON must escape, and each shape of schedule.
    static func fill(_ store: ContentStore) throws {
        let article = try store.createEntry(
            kind: .article,
            content: Content(status: .published, title: "Project portfolio tools", body: "Tools.", summary: "Which tool, and why",
                             imageURL: "https://www.example.org/img/ppm.png", sourceURL: "https://www.example.org/articles/ppm-tools"),
            author: "fixture", origin: .import)
        let target = try store.createEntry(
            kind: .question,
            content: Content(status: .published, title: "Is a PMO senior?", body: "It depends.",
                             sourceURL: "https://www.example.org/faq/is-pmo-senior"),
            author: "fixture", origin: .import, importKey: "https://www.example.org/faq/is-pmo-senior")
        var related = [
            LinkRef(title: "By slug only", slug: article.slug),
            LinkRef(title: "By URL", url: "https://www.example.org/faq/is-pmo-senior"),
            LinkRef(title: "Unknown slug, known URL", url: "https://www.example.org/articles/ppm-tools", slug: "no-such-entry"),
            LinkRef(title: "Nowhere", url: "https://elsewhere.example.com/x"),
            LinkRef(title: "Slug to nowhere", slug: "no-such-entry-either"),
        ]
        related += (1...80).map { LinkRef(title: "Related \($0) \"quoted\" <b> \\ back/slash", url: "https://www.example.org/faq/q-\($0)") }
        try store.createEntry(
            kind: .question,
            content: Content(
                status: .published, title: "Which links resolve? «ünïcødé» — \"quotes\", a\ttab, 😀",
                body: "See *below* \\ </script> & `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\tindented\r\nline\u{2028}sep",
                summary: "Summary with \"quotes\" and / slashes", editedAt: "2026-11-02",
                related: related,
                articles: [LinkRef(title: "Card by slug", slug: article.slug),
                           LinkRef(title: "Card nowhere", url: "https://www.example.org/articles/none"),
                           LinkRef(title: "Card by URL", url: "https://www.example.org/articles/ppm-tools")]),
            author: "fixture", origin: .import)
        // No links at all, no optional field.
        try store.createEntry(kind: .question, content: Content(status: .published, title: "Bare"), author: "fixture")
        // A draft (only in a head export) and each shape of schedule: publication and expiry,
        // publication only, expiry only.
        try store.createEntry(kind: .question, content: Content(title: "Still a draft", body: "Draft."), author: "fixture")
        for (title, expire) in [("Scheduled with expiry", Optional("2027-06-30T00:00:00Z")), ("Scheduled", nil)] {
            let header = try store.createEntry(kind: .question, content: Content(title: title, body: "Soon."), author: "fixture")
            try store.transition(header.slug, .submit, author: "fixture")
            try store.transition(header.slug, .approve, author: "reviewer")
            try store.schedule(header.slug, .publish(at: "2027-01-01T09:00:00Z", expire: expire), author: "fixture")
        }
        try store.schedule(target.slug, .expire("2030-01-01T00:00:00Z"), author: "fixture")
    }

    @Test("the same bytes as SQLite's entry object and as EntryView's encoding, live and head",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func sameAsSQLite() async throws {
        try await TestDatabase.with { database in
            let local = try PostgresSearchTests.Store()
            defer { local.remove() }
            try Self.fill(local.store)
            _ = try await pg { try StoreCopy.copy(from: local.path, to: database.url) }
            let url = database.url
            for selection in [StreamSelection.live, .head] {
                var query = StreamQuery(selection: selection)
                query.now = "2026-12-01T00:00:00Z"
                let fixed = query
                var fromSQLite: [String] = []
                try local.store.streamEntryJSON(fixed) { fromSQLite.append(String(decoding: $0, as: UTF8.self)) }
                let (fromPostgres, fromViews) = try await pg {
                    let store = try PostgresContentStore.open(url: url, access: .read)
                    var objects: [String] = [], views: [String] = []
                    try store.streamEntryJSON(fixed) { objects.append(String(decoding: $0, as: UTF8.self)) }
                    try store.stream(fixed) { views.append(try JSONOutput.string($0.view, pretty: false)) }
                    return (objects, views)
                }
                #expect(fromPostgres.count == fromSQLite.count)
                #expect(fromPostgres.count >= (selection == .live ? 4 : 7))
                for (postgres, sqlite) in zip(fromPostgres, fromSQLite) { #expect(postgres == sqlite) }
                for (postgres, view) in zip(fromPostgres, fromViews) { #expect(postgres == view) }
                // Both schedule keys, one, or neither, as set.
                if selection == .head {
                    let scheduled = fromPostgres.filter { $0.contains(#""publish_at":"#) || $0.contains(#""expire_at":"#) }
                    #expect(scheduled.count == 3)
                }
            }
            // The question with every kind of link really has them, resolved as intended.
            let objects = try await pg {
                var objects: [String] = []
                try PostgresContentStore.open(url: url, access: .read).streamEntryJSON(StreamQuery()) {
                    objects.append(String(decoding: $0, as: UTF8.self))
                }
                return objects
            }
            let question = try #require(objects.first { $0.contains("Which links resolve?") })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(question.utf8)) as? [String: Any])
            let links = try #require(object["related"] as? [[String: Any]])
            #expect(links.count == 85)
            #expect(links[0]["url"] as? String == "https://www.example.org/articles/ppm-tools")
            #expect(links[1]["slug"] as? String == "is-a-pmo-senior")
            #expect(links[2]["slug"] as? String == "project-portfolio-tools")
            #expect(links[3]["slug"] is NSNull)
            #expect(links[4]["url"] is NSNull)
            #expect(links[84]["title"] as? String == "Related 80 \"quoted\" <b> \\ back/slash")
            let cards = try #require(object["articles"] as? [[String: Any]])
            #expect(cards.map { $0["summary"] as? String } == ["Which tool, and why", nil, "Which tool, and why"])
            #expect((object["body_html"] as? String)?.contains("<table>") == true)
            let bare = try #require(objects.first { $0.contains(#""title":"Bare""#) })
            #expect(bare.contains(#""articles":[]"#) && bare.contains(#""related":[]"#), "\(bare)")
        }
    }
}
