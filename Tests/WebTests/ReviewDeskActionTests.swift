import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PMCMS
import Testing
@testable import Web

/// Changes made through the desk: every one a revision through the store's write path, signed,
/// refused without this server's form token, and never over a change the person did not see.
@Suite struct ReviewDeskActionTests {
    static let slug = "is-pmo-more-senior-than-project-manager"

    struct Desk {
        let store: ContentStore
        let desk: ReviewDesk
        let directory: URL
    }

    func withDesk(_ test: @Sendable (Desk, any TestClientProtocol) async throws -> Void) async throws {
        let (store, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let desk = try ReviewDesk(store: store, options: .init(token: ReviewDeskTests.token, author: "reviewer"))
        let handle = Desk(store: store, desk: desk, directory: directory)
        try await desk.application().test(.router) { client in
            let session = try await ReviewDeskTests.logIn(client)
            try await ReviewDeskTests.$loggedIn.withValue(session) { try await test(handle, client) }
        }
    }

    /// A urlencoded form body, encoded by Foundation (never by hand).
    static func form(_ fields: [String: String]) -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        // URLComponents leaves "+" alone, which a form decoder reads as a space.
        let text = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return ByteBuffer(string: text)
    }

    static var headers: HTTPFields {
        var fields = ReviewDeskTests.cookie
        fields[.contentType] = "application/x-www-form-urlencoded"
        return fields
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ fields: [String: String], headers: HTTPFields = Self.headers) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: path, method: .post, headers: headers, body: Self.form(fields)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    @Test func approveIsARevisionSignedByTheDeskUser() async throws {
        try await withDesk { desk, client in
            let head = try desk.store.header(Self.slug).head
            let (status, _) = try await post(client, "/entries/\(Self.slug)/actions/approve", ["csrf": ReviewDeskTests.csrf, "rev": String(head)])
            #expect(status == .seeOther)
            let latest = try desk.store.revisions(Self.slug).last
            #expect(latest?.number == head + 1)
            #expect(latest?.status == .approved && latest?.origin == .workflow && latest?.author == "reviewer")
            #expect(try desk.store.verify().ok)
        }
    }

    @Test func formsWithoutThisServersTokenOrFromAnotherOriginChangeNothing() async throws {
        try await withDesk { desk, client in
            let head = try desk.store.header(Self.slug).head
            var (status, _) = try await post(client, "/entries/\(Self.slug)/actions/approve", ["rev": String(head)])
            #expect(status == .badRequest || status == .forbidden)
            (status, _) = try await post(client, "/entries/\(Self.slug)/actions/approve", ["csrf": "guess", "rev": String(head)])
            #expect(status == .forbidden)
            var foreign = Self.headers
            foreign[.origin] = "https://evil.example"
            (status, _) = try await post(client, "/entries/\(Self.slug)/actions/approve", ["csrf": ReviewDeskTests.csrf, "rev": String(head)], headers: foreign)
            #expect(status == .forbidden)
            // Without the session cookie, not even the form is looked at.
            var anonymous = Self.headers
            anonymous[.cookie] = nil
            (status, _) = try await post(client, "/entries/\(Self.slug)/actions/approve", ["csrf": ReviewDeskTests.csrf, "rev": String(head)], headers: anonymous)
            #expect(status == .unauthorized)
            #expect(try desk.store.header(Self.slug).head == head, "nothing was written")
        }
    }

    @Test func aStaleFormGets409WithWhatChangedAndWritesNothing() async throws {
        try await withDesk { desk, client in
            let seen = try desk.store.header(Self.slug).head
            // Someone else rejects it meanwhile (at the terminal, say).
            try desk.store.transition(Self.slug, .reject, author: "pat", message: "say why it matters")
            let (status, html) = try await post(client, "/entries/\(Self.slug)/actions/approve", ["csrf": ReviewDeskTests.csrf, "rev": String(seen)])
            #expect(status == .conflict)
            #expect(html.contains("Changed meanwhile"))
            #expect(html.contains("<del>in_review</del>") && html.contains("<ins>draft</ins>"), "the change is shown")
            #expect(try desk.store.header(Self.slug).head == seen + 1, "only pat's revision")
        }
    }

    @Test func rejectNeedsAMessageAndIllegalStepsAreRefusedInPlainWords() async throws {
        try await withDesk { desk, client in
            let head = try desk.store.header(Self.slug).head
            var (status, _) = try await post(client, "/entries/\(Self.slug)/actions/reject", ["csrf": ReviewDeskTests.csrf, "rev": String(head), "message": " "])
            #expect(status == .badRequest)
            var html: String
            (status, html) = try await post(client, "/entries/\(Self.slug)/actions/publish", ["csrf": ReviewDeskTests.csrf, "rev": String(head)])
            #expect(status == .conflict)
            #expect(html.contains("it is in review"))
            #expect(!html.contains("pmcms "), "no terminal commands on a web page")
            #expect(try desk.store.header(Self.slug).head == head)
        }
    }

    @Test func anInvalidEditComesBackWithEveryTypedCharacter() async throws {
        try await withDesk { desk, client in
            let head = try desk.store.header(Self.slug).head
            let typed = "New answer with <b>markup</b> & \"quotes\"\nsecond line"
            let (status, html) = try await post(client, "/entries/\(Self.slug)/edit", [
                "csrf": ReviewDeskTests.csrf, "rev": String(head), "title": "A title", "edited_at": "yesterday", "body": typed,
            ])
            #expect(status == .unprocessableContent)
            #expect(html.contains("edited at:"), "the error names the field")
            #expect(html.contains("New answer with &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;\nsecond line"), "typed text kept, escaped")
            #expect(html.contains(#"value="yesterday""#))
            #expect(try desk.store.header(Self.slug).head == head)
        }
    }

    @Test func aStaleEditKeepsTheTypedTextAndShowsTheOtherChange() async throws {
        try await withDesk { desk, client in
            let seen = try desk.store.header(Self.slug).head
            try desk.store.edit(Self.slug, author: "pat") { $0.summary = "Pat's summary" }
            let (status, html) = try await post(client, "/entries/\(Self.slug)/edit", [
                "csrf": ReviewDeskTests.csrf, "rev": String(seen), "title": "My title", "body": "My body",
            ])
            #expect(status == .conflict)
            #expect(html.contains("Changed while you were editing"))
            #expect(html.contains("Pat&#39;s summary") || html.contains("Pat's summary") || html.contains("Pat&#x27;s summary"))
            #expect(html.contains(#"value="My title""#) && html.contains(">\nMy body</textarea>"), "a textarea's first newline is the markup's, so a typed one survives")
            #expect(html.contains(#"name="rev" value="\#(seen + 1)""#), "a second save goes on from what the person has now seen")
            #expect(try desk.store.header(Self.slug).head == seen + 1)
            // Saving again, knowingly, writes one revision.
            let (again, _) = try await post(client, "/entries/\(Self.slug)/edit", [
                "csrf": ReviewDeskTests.csrf, "rev": String(seen + 1), "title": "My title", "body": "My body", "message": "from the desk",
            ])
            #expect(again == .seeOther)
            let latest = try desk.store.entry(Self.slug)
            #expect(latest.content.title == "My title" && latest.content.body == "My body")
            #expect(try desk.store.revisions(Self.slug).last?.message == "from the desk")
        }
    }

    /// The person who saves second must not undo, unknowingly, a change to a field they never
    /// touched: the 409 form brings such fields up to date, keeps what they typed, and names
    /// the fields both changed.
    @Test func aStaleEditTakesTheirVersionOfTheFieldsLeftAlone() async throws {
        try await withDesk { desk, client in
            let seen = try desk.store.entry(Self.slug)
            let start = EditPage(view: seen, csrf: ReviewDeskTests.csrf)
            try desk.store.edit(Self.slug, author: "pat") { $0.title = "Pat's title"; $0.summary = "Pat's summary" }
            // The form as the browser sends it: every field, the title and summary as first shown.
            var fields = [
                "csrf": ReviewDeskTests.csrf, "rev": String(seen.revision), "title": start.title, "summary": "My summary",
                "image_url": start.imageURL, "source_url": start.sourceURL, "edited_at": start.editedAt,
                "related": start.related, "articles": start.articles, "body": "My body",
            ]
            let (status, html) = try await post(client, "/entries/\(Self.slug)/edit", fields)
            #expect(status == .conflict)
            #expect(html.contains(#"name="title" value="Pat&#39;s title""#), "left alone here: pat's title")
            #expect(Self.textarea("body", html) == "My body", "typed: kept")
            #expect(html.contains(#"value="My summary""#), "both changed it: this person's, as typed")
            #expect(html.contains("You both changed these fields: summary."))
            #expect(!html.contains("You both changed these fields: title"))
            // Saving the form as it came back keeps pat's title.
            fields["rev"] = String(seen.revision + 1)
            fields["title"] = "Pat's title"
            #expect(try await post(client, "/entries/\(Self.slug)/edit", fields).0 == .seeOther)
            let latest = try desk.store.entry(Self.slug).content
            #expect(latest.title == "Pat's title" && latest.summary == "My summary" && latest.body == "My body")
        }
    }

    @Test func revertFromTheDiffPage() async throws {
        try await withDesk { desk, client in
            let head = try desk.store.header(Self.slug).head
            try await client.execute(uri: "/entries/\(Self.slug)/diff?from=1&to=latest", method: .get, headers: ReviewDeskTests.cookie) { response in
                #expect(String(buffer: response.body).contains("Revert to r1"))
            }
            let (status, _) = try await post(client, "/entries/\(Self.slug)/revert", ["csrf": ReviewDeskTests.csrf, "rev": String(head), "number": "1"])
            #expect(status == .seeOther)
            let latest = try desk.store.entry(Self.slug)
            #expect(latest.content.title == "Is PMO more senior than project manager?")
            #expect(try desk.store.revisions(Self.slug).last?.origin == .revert)
        }
    }
}
