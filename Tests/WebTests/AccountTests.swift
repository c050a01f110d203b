import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PMCMS
import Synchronization
import Testing
@testable import Web

/// The desk with accounts: logging in and out, the login throttle, roles held on the server
/// whatever the browser sends, and no approving of one's own change.
@Suite struct AccountTests {
    static let slug = "is-pmo-more-senior-than-project-manager"
    /// bcrypt at its lowest cost: the tests check the flow, not the hashing's price.
    static let hasher = BcryptHasher(cost: 4)
    static let password = "correct horse"

    /// The throttle's clock, which a test moves on by hand.
    final class ManualClock: Sendable {
        let seconds = Mutex<Double>(1_000)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    struct Desk {
        let store: ContentStore
        let clock: ManualClock
    }

    /// The review desk's test store (entry 1 edited by sam and in review, live r4) with a
    /// writer, two reviewers (sam among them), a publisher and an admin.
    func withDesk(
        limits: LoginThrottle.Limits = .standard, behindProxy: Bool = false,
        _ test: @Sendable (Desk, any TestClientProtocol) async throws -> Void
    ) async throws {
        let (store, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, role) in [("wendy", Role.writer), ("sam", .reviewer), ("rita", .reviewer), ("paul", .publisher), ("ada", .admin)] {
            try store.addAccount(name, role: role, password: Self.password, by: "test", hasher: Self.hasher)
        }
        let clock = ManualClock()
        var options = ReviewDesk.Options(token: ReviewDeskTests.token, author: "operator", behindProxy: behindProxy, hasher: Self.hasher)
        options.throttleLimits = limits
        options.throttleClock = { clock.seconds.withLock { $0 } }
        let desk = try ReviewDesk(store: store, options: options)
        try await desk.application().test(.router) { client in try await test(Desk(store: store, clock: clock), client) }
    }

    // MARK: Helpers

    static func csrf(in html: String) throws -> String {
        let start = try #require(html.range(of: #"name="csrf" value=""#)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    static func cookie(_ name: String, in headers: HTTPFields) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }.flatMap { $0.split(separator: ";").first.map(String.init) }
    }

    /// Posts the login form as a browser does: the form's token, and the login page's cookie.
    static func tryLogIn(
        _ client: some TestClientProtocol, _ name: String, _ password: String, headers extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, session: String?, body: String) {
        let (token, loginCookie) = try await client.execute(uri: "/login", method: .get) { response in
            (try csrf(in: String(buffer: response.body)), try #require(cookie(ReviewDesk.loginCookieName, in: response.headers)))
        }
        var headers = extra
        headers[.cookie] = loginCookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(
            uri: "/login", method: .post, headers: headers,
            body: ReviewDeskActionTests.form(["csrf": token, "name": name, "password": password])
        ) { response in
            (response.status, cookie(ReviewDesk.cookieName, in: response.headers), String(buffer: response.body))
        }
    }

    static func logIn(_ client: some TestClientProtocol, _ name: String) async throws -> ReviewDeskTests.LoggedIn {
        let result = try await tryLogIn(client, name, password)
        #expect(result.status == .seeOther, "\(name) logs in")
        let session = try #require(result.session)
        return ReviewDeskTests.LoggedIn(cookie: session, csrf: try await ReviewDeskTests.csrf(client, cookie: session))
    }

    static func get(_ client: some TestClientProtocol, _ path: String, _ session: ReviewDeskTests.LoggedIn) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: path, method: .get, headers: [.cookie: session.cookie]) { ($0.status, String(buffer: $0.body)) }
    }

    static func post(
        _ client: some TestClientProtocol, _ path: String, _ session: ReviewDeskTests.LoggedIn, _ fields: [String: String] = [:]
    ) async throws -> (HTTPResponse.Status, String) {
        var all = fields
        all["csrf"] = all["csrf"] ?? session.csrf
        return try await client.execute(
            uri: path, method: .post, headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"],
            body: ReviewDeskActionTests.form(all)
        ) { ($0.status, String(buffer: $0.body)) }
    }

    /// Posts a workflow step at the entry's current revision.
    static func step(_ client: some TestClientProtocol, _ desk: Desk, _ action: String, _ session: ReviewDeskTests.LoggedIn) async throws -> (HTTPResponse.Status, String) {
        let head = try desk.store.header(slug).head
        return try await post(client, "/entries/\(slug)/actions/\(action)", session, ["rev": String(head)])
    }

    // MARK: Logging in and out

    @Test func loginByAccountSetsAStrictHttpOnlySessionAndTheTokenLinkNoLongerOpens() async throws {
        try await withDesk { desk, client in
            // With accounts, the one-time link opens nothing, and pages send to the login form.
            try await client.execute(uri: "/login?token=\(ReviewDeskTests.token)", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.cookie(ReviewDesk.cookieName, in: response.headers) == nil)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/login")
            }
            let wrong = try await Self.tryLogIn(client, "rita", "not the password")
            #expect(wrong.status == .unauthorized && wrong.session == nil)
            #expect(wrong.body.contains("do not match") && wrong.body.contains(#"value="rita""#), "the form comes back with the name")
            let unknown = try await Self.tryLogIn(client, "nobody", Self.password)
            #expect(unknown.status == .unauthorized && unknown.session == nil)

            let (token, loginCookie) = try await client.execute(uri: "/login", method: .get) { response in
                let cookie = response.headers[values: .setCookie].first { $0.hasPrefix(ReviewDesk.loginCookieName) } ?? ""
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                return (try Self.csrf(in: String(buffer: response.body)), try #require(Self.cookie(ReviewDesk.loginCookieName, in: response.headers)))
            }
            // The login form is refused without its own cookie (a form posted from elsewhere).
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ReviewDeskActionTests.form(["csrf": token, "name": "rita", "password": Self.password])
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: loginCookie, .origin: "https://evil.example"],
                body: ReviewDeskActionTests.form(["csrf": token, "name": "rita", "password": Self.password])
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: loginCookie],
                body: ReviewDeskActionTests.form(["csrf": token, "name": "rita", "password": Self.password])
            ) { response in
                #expect(response.status == .seeOther)
                let cookie = response.headers[values: .setCookie].first { $0.hasPrefix(ReviewDesk.cookieName + "=") } ?? ""
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
            }
            let rita = try await Self.logIn(client, "rita")
            let (status, html) = try await Self.get(client, "/", rita)
            #expect(status == .ok && html.contains("rita · reviewer"))
        }
    }

    @Test func behindAProxyTheSessionCookieIsSecure() async throws {
        try await withDesk(behindProxy: true) { _, client in
            let result = try await client.execute(uri: "/login", method: .get) { $0.headers[values: .setCookie].joined() }
            #expect(result.contains("Secure"))
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await withDesk { _, client in
            let rita = try await Self.logIn(client, "rita")
            // Without the session's token, logging out is refused (no one logs you out from elsewhere).
            var (status, _) = try await Self.post(client, "/logout", rita, ["csrf": "guess", "rev": "0"])
            #expect(status == .forbidden)
            #expect(try await Self.get(client, "/", rita).0 == .ok)
            let expiry = try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: rita.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ReviewDeskActionTests.form(["csrf": rita.csrf, "rev": "0"])
            ) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/login")
                return response.headers[values: .setCookie].first { $0.hasPrefix(ReviewDesk.cookieName + "=") } ?? ""
            }
            #expect(expiry.contains("Expires="), "the browser is told to drop the cookie")
            (status, _) = try await Self.get(client, "/", rita)
            #expect(status == .seeOther, "the old cookie opens nothing")
        }
    }

    @Test func logoutOfTheLoginLinksSessionSaysHowToComeBack() async throws {
        try await ReviewDeskTests().withDesk { client in
            let session = ReviewDeskTests.loggedIn
            try await client.execute(
                uri: "/logout", method: .post, headers: [.cookie: session.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ReviewDeskActionTests.form(["csrf": session.csrf, "rev": "0"])
            ) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/logged-out")
            }
            try await client.execute(uri: "/logged-out", method: .get, headers: [.cookie: session.cookie]) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains("Logged out"))
            }
            #expect(try await Self.get(client, "/", session).0 == .unauthorized)
        }
    }

    @Test func aRemovedAccountsSessionEndsAtItsNextRequest() async throws {
        try await withDesk { desk, client in
            let wendy = try await Self.logIn(client, "wendy")
            #expect(try await Self.get(client, "/", wendy).0 == .ok)
            try desk.store.removeAccount("wendy", by: "ada")
            #expect(try await Self.get(client, "/", wendy).0 == .seeOther)
        }
    }

    // MARK: Throttle

    @Test func failedLoginsPerAccountAreThrottledEvenWithTheRightPasswordAndRecover() async throws {
        let limits = LoginThrottle.Limits(perAccount: 3, perClient: 100, window: 600)
        try await withDesk(limits: limits, behindProxy: true) { desk, client in
            // Three wrong guesses from three addresses: the account's count, not the address's.
            for address in ["192.0.2.1", "192.0.2.2", "192.0.2.3"] {
                let wrong = try await Self.tryLogIn(client, "rita", "guess \(address)", headers: [.init("X-Forwarded-For")!: address])
                #expect(wrong.status == .unauthorized)
            }
            let refused = try await Self.tryLogIn(client, "rita", Self.password, headers: [.init("X-Forwarded-For")!: "192.0.2.9"])
            #expect(refused.status == .tooManyRequests && refused.session == nil, "the 4th try is refused, right password or not")
            #expect(refused.body.contains("Too many failed logins"))
            // Another account is not held up by rita's.
            #expect(try await Self.tryLogIn(client, "paul", Self.password).status == .seeOther)
            desk.clock.advance(601)
            let later = try await Self.tryLogIn(client, "rita", Self.password)
            #expect(later.status == .seeOther && later.session != nil, "after the window it works again")
        }
    }

    @Test func failedLoginsPerClientAreThrottledAcrossAccountsAndRecover() async throws {
        let limits = LoginThrottle.Limits(perAccount: 100, perClient: 3, window: 600)
        try await withDesk(limits: limits) { desk, client in
            for name in ["rita", "paul", "nobody"] {
                #expect(try await Self.tryLogIn(client, name, "a wrong guess").status == .unauthorized)
            }
            let refused = try await Self.tryLogIn(client, "ada", Self.password)
            #expect(refused.status == .tooManyRequests && refused.session == nil)
            desk.clock.advance(300)
            #expect(try await Self.tryLogIn(client, "ada", Self.password).status == .tooManyRequests, "still inside the window")
            desk.clock.advance(301)
            #expect(try await Self.tryLogIn(client, "ada", Self.password).status == .seeOther)
        }
    }

    // MARK: Roles

    @Test func rolesAreHeldOnTheServerAndButtonsFollowThem() async throws {
        try await withDesk { desk, client in
            let wendy = try await Self.logIn(client, "wendy")
            let rita = try await Self.logIn(client, "rita")
            let paul = try await Self.logIn(client, "paul")

            // A writer sees no approve or reject button, and a forged approve gets 403 saying why.
            var (status, html) = try await Self.get(client, "/entries/\(Self.slug)", wendy)
            #expect(status == .ok && html.contains(">Edit</a>"))
            #expect(!html.contains("/actions/approve") && !html.contains("/actions/reject") && html.contains("/actions/archive") == false)
            let head = try desk.store.header(Self.slug).head
            (status, html) = try await Self.step(client, desk, "approve", wendy)
            #expect(status == .forbidden)
            #expect(html.contains("wendy, a writer") && html.contains("approve takes a reviewer"))
            #expect(try desk.store.header(Self.slug).head == head, "nothing was written")

            // A form token is its session's: rita's token in wendy's session is a forgery.
            var mixed = wendy
            mixed.csrf = rita.csrf
            #expect(try await Self.post(client, "/entries/\(Self.slug)/actions/submit", mixed, ["rev": String(head)]).0 == .forbidden)
            // A reviewer sees approve and reject, not publish or archive; approving signs with the account.
            (status, html) = try await Self.get(client, "/entries/\(Self.slug)", rita)
            #expect(html.contains("/actions/approve") && html.contains("/actions/reject") && !html.contains("/actions/archive"))
            (status, _) = try await Self.step(client, desk, "approve", rita)
            #expect(status == .seeOther)
            #expect(try desk.store.revisions(Self.slug).last?.author == "rita")
            (status, _) = try await Self.step(client, desk, "publish", rita)
            #expect(status == .forbidden)
            (status, _) = try await Self.step(client, desk, "archive", rita)
            #expect(status == .forbidden)

            // The publisher publishes.
            (status, html) = try await Self.get(client, "/entries/\(Self.slug)", paul)
            #expect(html.contains("/actions/publish") && html.contains("/actions/archive"))
            (status, _) = try await Self.step(client, desk, "publish", paul)
            #expect(status == .seeOther)
            let published = try #require(try desk.store.revisions(Self.slug).last)
            #expect(published.author == "paul" && published.status == .published)

            // A writer edits and submits, signed with the account name; may not unpublish.
            let edit = try await Self.post(client, "/entries/\(Self.slug)/edit", wendy, [
                "rev": String(published.number), "title": "Is a PMO senior to a project manager?",
                "body": "A PMO oversees many projects.", "message": "shorter",
            ])
            #expect(edit.0 == .seeOther)
            #expect(try desk.store.revisions(Self.slug).last?.author == "wendy")
            #expect(try await Self.step(client, desk, "submit", wendy).0 == .seeOther)
            #expect(try desk.store.revisions(Self.slug).last?.author == "wendy")
            // The live revision stays published meanwhile; unpublishing is not a writer's step.
            #expect(try await Self.step(client, desk, "unpublish", wendy).0 == .forbidden)
            #expect(try desk.store.verify().ok)
        }
    }

    @Test func nobodyApprovesTheirOwnChangeUnlessTheSettingAllowsIt() async throws {
        try await withDesk { desk, client in
            // sam, a reviewer, wrote the change in review.
            let sam = try await Self.logIn(client, "sam")
            var (status, html) = try await Self.get(client, "/entries/\(Self.slug)", sam)
            #expect(status == .ok && !html.contains("/actions/approve"), "no approve button for one's own change")
            #expect(html.contains("/actions/reject"))
            let head = try desk.store.header(Self.slug).head
            (status, html) = try await Self.step(client, desk, "approve", sam)
            #expect(status == .forbidden)
            #expect(html.contains("You wrote part of this change"))
            #expect(try desk.store.header(Self.slug).head == head)

            try desk.store.setSetting(.reviewSelfApprove, "true")
            (status, html) = try await Self.get(client, "/entries/\(Self.slug)", sam)
            #expect(html.contains("/actions/approve"))
            (status, _) = try await Self.step(client, desk, "approve", sam)
            #expect(status == .seeOther)
            #expect(try desk.store.revisions(Self.slug).last?.author == "sam")
        }
    }

    // MARK: Admin

    @Test func adminsManageAccountsAndTheReviewSettingOthersGet403() async throws {
        try await withDesk { desk, client in
            let rita = try await Self.logIn(client, "rita")
            var (status, html) = try await Self.get(client, "/accounts", rita)
            #expect(status == .forbidden && html.contains("to manage accounts takes an admin"))
            #expect(!html.contains("Nothing was changed"), "a page asked for, not a change refused")
            let refused = try await Self.post(client, "/accounts", rita, ["name": "eve", "role": "admin", "password": "long enough"])
            #expect(refused.0 == .forbidden && refused.1.contains("Nothing was changed."))
            #expect(try desk.store.account(named: "eve") == nil)
            #expect(try await Self.post(client, "/settings/review.self_approve", rita, ["value": "true"]).0 == .forbidden)
            #expect(try desk.store.setting(.reviewSelfApprove) == nil)
            #expect(try await !Self.get(client, "/", rita).1.contains(#"href="/accounts""#))

            let ada = try await Self.logIn(client, "ada")
            #expect(try await Self.get(client, "/", ada).1.contains(#"href="/accounts""#))
            (status, html) = try await Self.get(client, "/accounts", ada)
            #expect(status == .ok && html.contains("<td>wendy</td><td>writer</td>"))
            (status, html) = try await Self.post(client, "/accounts", ada, ["name": "eve", "role": "reviewer", "password": "short"])
            #expect(status == .unprocessableContent && html.contains("at least 8 characters") && html.contains(#"value="eve""#))
            #expect(html.contains(#"<option value="reviewer" selected>"#) && !html.contains("short"), "name and role kept, never the password")
            (status, _) = try await Self.post(client, "/accounts", ada, ["name": "eve", "role": "reviewer", "password": "long enough"])
            #expect(status == .seeOther)
            #expect(try desk.store.account(named: "eve")?.role == .reviewer)
            let event = try #require(try desk.store.accountEvents().last)
            #expect(event.account == "eve" && event.action == "add" && event.role == "reviewer" && event.by == "ada", "logged, with the admin")
            #expect(try await Self.tryLogIn(client, "eve", "long enough").status == .seeOther)

            (status, _) = try await Self.post(client, "/settings/review.self_approve", ada, ["value": "true"])
            #expect(status == .seeOther)
            #expect(try desk.store.setting(.reviewSelfApprove) == "true")
            (status, _) = try await Self.post(client, "/accounts/remove", ada, ["name": "eve"])
            #expect(status == .seeOther)
            #expect(try desk.store.account(named: "eve") == nil)
            (status, _) = try await Self.post(client, "/accounts/remove", ada, ["name": "ada"])
            #expect(status == .badRequest)
            #expect(try desk.store.account(named: "ada") != nil)
        }
    }
}
