import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PMCMS
import Testing
@testable import Web

/// The entry page's kept parts (`EntryPageCache`): a write through another connection to the
/// store (as the CLI or an import makes) shows on the next request, whether it changes the entry
/// or only an entry it links to; and nothing of one session (form token, role buttons, name) is
/// ever shown to another.
@Suite struct EntryPageCacheTests {
    static let slug = "is-pmo-more-senior-than-project-manager"

    /// The review desk's test store, served as `pmcms serve` does (its own connection and read
    /// pool), beside `writer`, another connection to the same file.
    func withDesk(
        accounts: [(String, Role)] = [],
        _ test: @Sendable (_ desk: ReviewDesk, _ writer: ContentStore, any TestClientProtocol) async throws -> Void
    ) async throws {
        let (writer, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, role) in accounts {
            try writer.addAccount(name, role: role, password: AccountTests.password, by: "test", hasher: AccountTests.hasher)
        }
        let served = try ContentStore(path: writer.path, access: .write, readPool: true)
        let desk = try ReviewDesk(
            store: served, options: .init(token: ReviewDeskTests.token, author: "operator", hasher: AccountTests.hasher))
        try await desk.application().test(.router) { client in try await test(desk, writer, client) }
    }

    static func page(_ client: some TestClientProtocol, _ session: ReviewDeskTests.LoggedIn) async throws -> String {
        let (status, html) = try await AccountTests.get(client, "/entries/\(slug)", session)
        #expect(status == .ok)
        return html
    }

    @Test func aWriteThroughAnotherConnectionShowsOnTheNextView() async throws {
        try await withDesk { desk, writer, client in
            let session = try await ReviewDeskTests.logIn(client)
            let first = try await Self.page(client, session)
            #expect(first.contains("<p>A project manager delivers single projects.</p>"))
            #expect(desk.entryPages.computed == 1)
            // Unchanged: the kept parts serve it, and the page is the same to the byte.
            #expect(try await Self.page(client, session) == first)
            #expect(desk.entryPages.computed == 1, "the second view is served from the kept parts")

            // The entry itself changes, through the other connection.
            try writer.edit(Self.slug, author: "kim", message: nil) { content in
                content.body = "A wholly new answer.\n\nA PMO oversees many of them."
                content.related = [LinkRef(title: "Am I qualified?", url: "https://www.example.org/faq/qualified")]
            }
            let edited = try await Self.page(client, session)
            #expect(edited.contains("<p>A wholly new answer.</p>"))
            #expect(!edited.contains("delivers single projects"))
            #expect(edited.contains(#"<span class="unresolved" title="not in the store yet">Am I qualified?</span>"#))
            #expect(desk.entryPages.computed == 2)

            // Only the entry it links to is created: this entry's revisions do not move, yet its
            // link now leads somewhere.
            try writer.createEntry(
                kind: .question,
                content: Content(title: "Am I qualified?", body: "Perhaps.", sourceURL: "https://www.example.org/faq/qualified"),
                author: "kim")
            let linked = try await Self.page(client, session)
            #expect(linked.contains(#"<a href="/entries/am-i-qualified">Am I qualified?</a>"#))
            #expect(!linked.contains(#"class="unresolved""#))

            // A workflow step made elsewhere changes the status and the buttons offered.
            let revision = try writer.header(Self.slug).head
            try writer.transition(Self.slug, .submit, author: "kim", message: nil, expectRevision: revision)
            let submitted = try await Self.page(client, session)
            #expect(submitted.contains(#"<span class="status status-in_review">in review</span>"#))
            #expect(submitted.contains(#"action="/entries/\#(Self.slug)/actions/approve""#))
            #expect(submitted.contains(#"name="rev" value="\#(revision + 1)""#))
        }
    }

    @Test func formTokensAndRoleButtonsAreNeverSharedBetweenSessions() async throws {
        try await withDesk(accounts: [("wendy", .writer), ("rita", .reviewer)]) { desk, _, client in
            let rita = try await AccountTests.logIn(client, "rita")
            let wendy = try await AccountTests.logIn(client, "wendy")
            #expect(rita.csrf != wendy.csrf)
            // The entry is in review, written by sam: rita may approve or reject it, wendy may not.
            let ritas = try await Self.page(client, rita)
            let wendys = try await Self.page(client, wendy)
            let ritasAgain = try await Self.page(client, rita)
            #expect(desk.entryPages.computed == 1, "the shared parts were rendered once for both")
            for html in [ritas, ritasAgain] {
                #expect(html.contains(#"name="csrf" value="\#(rita.csrf)""#))
                #expect(!html.contains(wendy.csrf))
                #expect(html.contains("/actions/approve"))
                #expect(html.contains("/actions/reject"))
                #expect(html.contains("rita · reviewer"))
                #expect(!html.contains("wendy"))
            }
            #expect(wendys.contains(#"name="csrf" value="\#(wendy.csrf)""#))
            #expect(!wendys.contains(rita.csrf))
            #expect(!wendys.contains("/actions/approve"))
            #expect(!wendys.contains("/actions/reject"))
            #expect(wendys.contains("wendy · writer"))
            #expect(!wendys.contains("rita"))
            // The shared parts are the same for both.
            #expect(ritas.contains("<p>A project manager delivers single projects.</p>"))
            #expect(wendys.contains("<p>A project manager delivers single projects.</p>"))
        }
    }

    @Test func theQueueFollowsAWriteThroughAnotherConnection() async throws {
        try await withDesk { desk, writer, client in
            let session = try await ReviewDeskTests.logIn(client)
            let first = try await AccountTests.get(client, "/", session).1
            #expect(first.contains(#"href="/entries/\#(Self.slug)""#))
            #expect(try await AccountTests.get(client, "/", session).1 == first)
            #expect(desk.queuePages.computed == 1, "the second view is served from the kept body")
            // Rejected through the other connection: a draft again, out of the queue.
            try writer.transition(Self.slug, .reject, author: "rita", message: "not yet")
            let after = try await AccountTests.get(client, "/", session).1
            #expect(!after.contains(#"href="/entries/\#(Self.slug)""#))
            #expect(desk.queuePages.computed == 2)
        }
    }
}

/// Whole pages kept per person and store version (`PageCache`), and who a session is kept per
/// store version (`ViewerCache`): a page shown again while nothing changed is not rendered
/// again, and every change that decides what a page shows (content, an account, a setting),
/// made through another connection, shows on the next request.
@Suite struct PageCacheTests {
    let pages = EntryPageCacheTests()
    static let slug = EntryPageCacheTests.slug

    @Test func aPageShownAgainIsNotRenderedAgainUntilTheContentChanges() async throws {
        try await pages.withDesk { desk, writer, client in
            let session = try await ReviewDeskTests.logIn(client)
            let before = desk.pages.computed  // logging in looked at a page for its form token
            let first = try await EntryPageCacheTests.page(client, session)
            #expect(desk.pages.computed == before + 1)
            #expect(try await EntryPageCacheTests.page(client, session) == first)
            #expect(desk.pages.computed == before + 1, "the second view is the kept page")
            // Another page is its own.
            _ = try await AccountTests.get(client, "/entries/\(Self.slug)/diff", session)
            #expect(desk.pages.computed == before + 2)
            try writer.edit(Self.slug, author: "kim", message: nil) { $0.title = "A title changed elsewhere" }
            let edited = try await EntryPageCacheTests.page(client, session)
            #expect(edited.contains("A title changed elsewhere"))
            #expect(desk.pages.computed == before + 3)
        }
    }

    @Test func aChangedRoleOrARemovedAccountShowsOnTheNextRequest() async throws {
        try await pages.withDesk(accounts: [("rita", .reviewer), ("ada", .admin)]) { desk, writer, client in
            let rita = try await AccountTests.logIn(client, "rita")
            #expect(try await EntryPageCacheTests.page(client, rita).contains("/actions/approve"))
            // Made a writer through another connection (as `pmcms user` does): no approve button.
            try writer.removeAccount("rita", by: "admin")
            try writer.addAccount("rita", role: .writer, password: AccountTests.password, by: "admin", hasher: AccountTests.hasher)
            let demoted = try await EntryPageCacheTests.page(client, rita)
            #expect(!demoted.contains("/actions/approve"))
            #expect(demoted.contains("rita · writer"))
            // Removed: the session no longer lets her in.
            try writer.removeAccount("rita", by: "admin")
            let (status, _) = try await AccountTests.get(client, "/entries/\(Self.slug)", rita)
            #expect(status == .seeOther)
        }
    }

    @Test func theSelfApprovalSettingShowsOnTheNextRequest() async throws {
        // sam wrote the change in review: he may not approve it until the setting allows it.
        try await pages.withDesk(accounts: [("sam", .reviewer)]) { desk, writer, client in
            let sam = try await AccountTests.logIn(client, "sam")
            #expect(!(try await EntryPageCacheTests.page(client, sam).contains("/actions/approve")))
            try writer.setSetting(.reviewSelfApprove, "true")
            #expect(try await EntryPageCacheTests.page(client, sam).contains("/actions/approve"))
            try writer.setSetting(.reviewSelfApprove, nil)
            #expect(!(try await EntryPageCacheTests.page(client, sam).contains("/actions/approve")))
        }
    }
}
