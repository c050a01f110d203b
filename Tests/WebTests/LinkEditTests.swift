import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PMCMS
import Testing
@testable import Web

/// The edit form's related questions and article cards: a ref a line, read as `pmcms edit`
/// reads its front matter, written as one revision, and on any refusal every typed line kept.
extension ReviewDeskActionTests {
    /// An unresolved link as an import leaves it: a page's title and URL, no entry yet.
    static let unresolved = LinkRef(title: "Am I qualified to be a project manager?", url: "https://www.example.org/faq/am-i-qualified")

    /// The links field of the edit form as the page has it (a textarea's first newline is markup).
    static func textarea(_ name: String, _ html: String) -> String? {
        guard let open = html.range(of: #"<textarea name="\#(name)""#),
              let start = html[open.upperBound...].range(of: ">\n"),
              let end = html[start.upperBound...].range(of: "</textarea>")
        else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test func linksEditedThroughTheFormAreOneRevisionWithTheNewLinks() async throws {
        try await withDesk { desk, client in
            try desk.store.edit(Self.slug, author: "pat") { $0.related = [Self.unresolved] }
            let head = try desk.store.header(Self.slug).head
            let card = try desk.store.header("2").slug
            let other = try desk.store.header("3").slug
            let shown = try await client.execute(uri: "/entries/\(Self.slug)/edit", method: .get, headers: ReviewDeskTests.cookie) { String(buffer: $0.body) }
            #expect(Self.textarea("related", shown) == Self.unresolved.url, "an unresolved link is shown as its URL")
            #expect(Self.textarea("articles", shown) == "")

            // Keep the unresolved link (its line untouched), add an entry by id, a card by slug.
            let typed = "\(Self.unresolved.url ?? "")\r\n3\r\n"
            let (status, _) = try await post(client, "/entries/\(Self.slug)/edit", [
                "csrf": ReviewDeskTests.csrf, "rev": String(head), "title": "Is a PMO more senior than a project manager?",
                "body": try desk.store.entry(Self.slug).content.body, "related": typed, "articles": card, "message": "links",
            ])
            #expect(status == .seeOther)
            let revisions = try desk.store.revisions(Self.slug)
            #expect(revisions.count == head + 1, "one revision")
            #expect(revisions.last?.author == "reviewer" && revisions.last?.message == "links")
            let latest = try desk.store.entry(Self.slug)
            #expect(latest.content.related.first == Self.unresolved, "the untouched line is the link as stored, title and all")
            #expect(latest.content.related.dropFirst().map(\.slug) == [other])
            #expect(latest.content.articles.map(\.slug) == [card])
            #expect(latest.content.body == (try desk.store.entry(Self.slug, at: .number(head))).content.body, "nothing else changed")

            // The same form saved again is no change: nothing written.
            let again = try await client.execute(uri: "/entries/\(Self.slug)/edit", method: .get, headers: ReviewDeskTests.cookie) { String(buffer: $0.body) }
            let related = try #require(Self.textarea("related", again))
            #expect(related == "\(Self.unresolved.url ?? "")\n\(other)")
            let (unchanged, _) = try await post(client, "/entries/\(Self.slug)/edit", [
                "csrf": ReviewDeskTests.csrf, "rev": String(head + 1), "title": latest.content.title, "body": latest.content.body,
                "related": related, "articles": card,
            ])
            #expect(unchanged == .seeOther)
            #expect(try desk.store.header(Self.slug).head == head + 1)

            // Emptied boxes remove the links; a form without the fields leaves them alone.
            let (cleared, _) = try await post(client, "/entries/\(Self.slug)/edit", [
                "csrf": ReviewDeskTests.csrf, "rev": String(head + 1), "title": latest.content.title, "body": latest.content.body,
                "related": "", "articles": "\n",
            ])
            #expect(cleared == .seeOther)
            #expect(try desk.store.entry(Self.slug).content.related.isEmpty && desk.store.entry(Self.slug).content.articles.isEmpty)
            #expect(try desk.store.verify().ok)
        }
    }

    @Test func aBadLinkComesBackWithTheErrorAndEveryTypedLine() async throws {
        try await withDesk { desk, client in
            let head = try desk.store.header(Self.slug).head
            let typed = "\n3\nno such entry <b>&\"x\"</b>\n  "
            let (status, html) = try await post(client, "/entries/\(Self.slug)/edit", [
                "csrf": ReviewDeskTests.csrf, "rev": String(head), "title": "Typed title", "body": "Typed body",
                "related": typed, "articles": "a-draft-card",
            ])
            #expect(status == .unprocessableContent)
            #expect(html.contains(#"class="error""#) && html.contains("related: "), "the error names the field")
            #expect(html.contains("is neither an entry of this store"), "and says what a line may be")
            #expect(Self.textarea("related", html) == "\n3\nno such entry &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;\n  ", "every typed character, escaped")
            #expect(Self.textarea("articles", html) == "a-draft-card")
            #expect(html.contains(#"value="Typed title""#) && html.contains(">\nTyped body</textarea>"))
            #expect(try desk.store.header(Self.slug).head == head, "nothing written")
        }
    }

    @Test func aStaleFormWithLinksGets409AndKeepsTheTypedLinks() async throws {
        try await withDesk { desk, client in
            let seen = try desk.store.header(Self.slug).head
            try desk.store.edit(Self.slug, author: "pat") { $0.articles = [LinkRef(title: "A draft card", slug: "a-draft-card")] }
            // Stale wins over a bad line: the person first sees what changed, with all they typed.
            for related in ["3\nhttps://www.example.org/new-page", "not an entry"] {
                let (status, html) = try await post(client, "/entries/\(Self.slug)/edit", [
                    "csrf": ReviewDeskTests.csrf, "rev": String(seen), "title": "My title", "body": "My body",
                    "related": related, "articles": "",
                ])
                #expect(status == .conflict)
                #expect(html.contains("Changed while you were editing"))
                #expect(Self.textarea("related", html) == related)
                #expect(Self.textarea("articles", html)?.contains("a-draft-card") == true,
                        "left as it was by this person: pat's card, not an unknowing undoing of it")
                #expect(html.contains(#"name="rev" value="\#(seen + 1)""#))
            }
            #expect(try desk.store.header(Self.slug).head == seen + 1, "only pat's revision")
        }
    }
}
