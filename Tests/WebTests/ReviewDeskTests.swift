import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PMCMS
import Testing
@testable import Web

/// The review desk's pages through Hummingbird's test client, over a real store: what a
/// reviewer sees, that nothing is shown without the login token, and that hostile text stays text.
@Suite struct ReviewDeskTests {
    static let token = "t0ken-for-tests"

    /// A store with a published question edited into review (live r4, latest r6), a draft, and
    /// an entry whose title and body carry markup.
    static func store() throws -> (ContentStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try ContentStore(path: directory.appendingPathComponent("store.sqlite").path, access: .create)
        let body = "A project manager delivers projects.\n\nA PMO oversees many of them."
        try store.createEntry(kind: .question, content: Content(title: "Is PMO more senior than project manager?", body: body), author: "sam")
        for action in [WorkflowAction.submit, .approve, .publish] {
            try store.transition("1", action, author: "pat", message: nil)
        }
        try store.edit("1", author: "sam", message: "sharpen the answer") { content in
            content.body = "A project manager delivers single projects.\n\nA PMO oversees many of them."
            content.title = "Is a PMO more senior than a project manager?"
        }
        try store.transition("1", .submit, author: "sam", message: "please review")
        try store.createEntry(kind: .article, content: Content(title: "A draft card", summary: "Waiting."), author: "sam")
        try store.createEntry(
            kind: .question,
            content: Content(title: #"<script>alert("t")</script> & <b>bold</b>?"#, body: "Text with <img src=x onerror=alert(1)> inside."),
            author: "mallory")
        return (store, directory)
    }

    func withDesk(prepare: (ContentStore) throws -> Void = { _ in }, _ test: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        try prepare(store)
        let desk = try ReviewDesk(store: store, options: .init(token: Self.token, author: "reviewer"))
        try await desk.application().test(.router) { client in
            let session = try await Self.logIn(client)
            try await Self.$loggedIn.withValue(session) { try await test(client) }
        }
    }

    /// A browser's session: its cookie and the form token its pages carry.
    struct LoggedIn: Sendable {
        var cookie: String
        var csrf: String
    }

    /// The session the running test logged in with (see `withDesk`).
    @TaskLocal static var loggedIn = LoggedIn(cookie: "", csrf: "")
    static var cookie: HTTPFields { [.cookie: loggedIn.cookie] }
    static var csrf: String { loggedIn.csrf }

    /// Opens the one-time login link, as the person who started the desk does.
    static func logIn(_ client: some TestClientProtocol) async throws -> LoggedIn {
        let cookie = try await client.execute(uri: "/login?token=\(token)", method: .get) { response in
            try #require(sessionCookie(response.headers))
        }
        return try await LoggedIn(cookie: cookie, csrf: csrf(client, cookie: cookie))
    }

    /// `pmcms_session=…` from a response's Set-Cookie headers.
    static func sessionCookie(_ headers: HTTPFields) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix("\(ReviewDesk.cookieName)=") }
            .flatMap { $0.split(separator: ";").first.map(String.init) }
    }

    /// The form token a logged-in page carries (in the top bar's log-out form).
    static func csrf(_ client: some TestClientProtocol, cookie: String) async throws -> String {
        try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
            let html = String(buffer: response.body)
            let marker = #"name="csrf" value=""#
            let start = try #require(html.range(of: marker)).upperBound
            let end = try #require(html[start...].firstIndex(of: "\""))
            return String(html[start..<end])
        }
    }

    @Test func nothingWithoutTheLoginLink() async throws {
        try await withDesk { client in
            for path in ["/", "/entries", "/entries/1", "/entries/1/diff"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(path)")
                    #expect(!String(buffer: response.body).contains("Is a PMO"))
                }
            }
            try await client.execute(uri: "/login?token=wrong", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/login?token=\(Self.token)", method: .get) { response in
                #expect(response.status == .seeOther)
                let cookie = response.headers[values: .setCookie].first { $0.hasPrefix("\(ReviewDesk.cookieName)=") } ?? ""
                // A session of its own, not the login token itself.
                #expect(!cookie.isEmpty && !cookie.contains(Self.token))
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                #expect(!cookie.contains("Secure"), "served over plain http here")
            }
            try await client.execute(uri: "/", method: .get, headers: Self.cookie) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func theQueueListsWhatWaitsWithWhoAndALinkToTheChanges() async throws {
        try await withDesk { client in
            try await client.execute(uri: "/", method: .get, headers: Self.cookie) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(html.contains(#"<a href="/entries/is-pmo-more-senior-than-project-manager">Is a PMO more senior than a project manager?</a>"#))
                #expect(html.contains(#"<td data-label="sent by">sam</td>"#), "on a phone, where the header row is hidden, the cell says what it is")
                #expect(html.contains(#"href="/entries/is-pmo-more-senior-than-project-manager/diff">changes against live"#))
                #expect(!html.contains("A draft card"))
                // No script anywhere, and a policy that forbids it.
                #expect(!html.contains("<script"))
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
            }
        }
    }

    @Test func theQueueIsBoundedToAPageAndSaysWhereTheRestAre() async throws {
        // The fixture has one entry in review; a page more makes it overflow.
        try await withDesk(prepare: { store in
            for i in 1...ReviewDesk.pageSize {
                try store.createEntry(kind: .question, content: Content(title: "Waiting \(i)?", body: "Text."), author: "sam")
                try store.transition("waiting-\(i)", .submit, author: "sam", message: nil)
            }
        }) { client in
            try await client.execute(uri: "/", method: .get, headers: Self.cookie) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(html.components(separatedBy: "changes against live</a></td>").count - 1 == ReviewDesk.pageSize)
                #expect(html.contains(#"see all <a href="/entries?status=in_review">in review</a>"#))
                // Oldest first: the fixture's entry is on the page, the newest is not.
                #expect(html.contains(#"href="/entries/is-pmo-more-senior-than-project-manager""#))
                #expect(!html.contains("Waiting \(ReviewDesk.pageSize)?"))
            }
        }
    }

    @Test func theEntryPageShowsLatestAndLiveAndTheHistoryToCompare() async throws {
        try await withDesk { client in
            try await client.execute(uri: "/entries/is-pmo-more-senior-than-project-manager", method: .get, headers: Self.cookie) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(html.contains("<p>A project manager delivers single projects.</p>"), "latest")
                #expect(html.contains("<h2>Live revision (r4)</h2>"))
                #expect(html.contains("<p>A project manager delivers projects.</p>"), "live")
                // Six revisions with two radio columns; live (r4) against latest (r6) preselected.
                #expect(html.components(separatedBy: #"type="radio" name="from""#).count == 7)
                #expect(html.contains(#"name="from" value="4" aria-label="compare from r4" checked"#))
                #expect(html.contains(#"name="to" value="6" aria-label="compare to r6" checked"#))
                #expect(html.contains("sharpen the answer"))
            }
            try await client.execute(uri: "/entries/no-such-entry", method: .get, headers: Self.cookie) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func theDiffPageComparesSideBySideWithChangedWordsMarked() async throws {
        try await withDesk { client in
            try await client.execute(uri: "/entries/1/diff", method: .get, headers: Self.cookie) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(html.contains("Changes: r4 → r6"))
                #expect(html.contains("<th>title</th>"))
                // Inside a changed field only the words that differ are marked.
                #expect(html.contains("Is <ins>a </ins>PMO more senior than<ins> a</ins> project manager?"))
                #expect(html.contains(#"<td class="old">Is PMO more senior than project manager?</td>"#))
                // The changed line pairs up, with only the new word highlighted.
                #expect(html.contains(#"<tr class="changed">"#))
                #expect(html.contains("<ins>single</ins>") || html.contains("<ins>single </ins>"))
                #expect(html.contains("A PMO oversees many of them."), "unchanged context")
            }
            try await client.execute(uri: "/entries/1/diff?from=1&to=1", method: .get, headers: Self.cookie) { response in
                #expect(String(buffer: response.body).contains("No changes between these revisions."))
            }
            try await client.execute(uri: "/entries/1/diff?from=banana", method: .get, headers: Self.cookie) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func entriesFilterPaginateAndSearch() async throws {
        try await withDesk { client in
            try await client.execute(uri: "/entries?kind=article", method: .get, headers: Self.cookie) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("A draft card"))
                #expect(!html.contains("Is a PMO"))
            }
            try await client.execute(uri: "/entries?q=single", method: .get, headers: Self.cookie) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Search: single"))
                #expect(html.contains("<mark>single</mark>"))
            }
        }
    }

    @Test func hostileTextIsShownAsText() async throws {
        try await withDesk { client in
            for path in ["/entries?sort=id", "/entries/3"] {
                try await client.execute(uri: path, method: .get, headers: Self.cookie) { response in
                    let html = String(buffer: response.body)
                    #expect(!html.contains("<script"), "\(path)")
                    // The markup typed into the body is shown as text, never as an element.
                    #expect(!html.contains("<img src=x"), "\(path)")
                    #expect(html.contains("&lt;script&gt;"), "\(path)")
                }
            }
        }
    }

    @Test func snippetsSplitAtTheStoreMarkers() {
        let parts = SnippetPart.parts("a \(SearchHit.markOpen)b\(SearchHit.markClose) c")
        #expect(parts.map(\.text) == ["a ", "b", " c"])
        #expect(parts.map(\.hit) == [false, true, false])
    }
}
