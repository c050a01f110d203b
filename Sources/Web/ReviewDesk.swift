import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
public import PMCMS  // the desk serves a ContentStore

/// `pmcms serve`: the review desk in a browser, a face on the same library as the CLI. It
/// renders the core's values (entries, histories, structured diffs) as HTML; it holds no store
/// logic of its own.
///
/// Pages: the review queue, the entries list and search, an entry with its history and its
/// workflow buttons, the edit form, and any two revisions side by side with a revert button.
/// A store with accounts is entered by logging in (`/login`); a store without any, with the
/// one-time login link the server prints (a random token, as Jupyter does). Either way the
/// browser then holds a session cookie (hummingbird-auth's sessions: HttpOnly, SameSite=Strict,
/// Secure behind an https proxy), and each role may do only its own steps, checked here
/// whatever the browser sends.
public struct ReviewDesk: Sendable {
    /// Where and how the desk runs.
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        /// The secret in the login link of a desk without accounts.
        public var token: String
        /// Who the revisions made through the login link are signed by (the person who started
        /// the desk, as the CLI signs). With accounts, each person's account name signs.
        public var author: String
        /// The desk is reached over https through a reverse proxy on this machine: session
        /// cookies are marked Secure, and a client's address for the login throttle is the last
        /// one the proxy added to `X-Forwarded-For`.
        public var behindProxy: Bool
        /// How passwords are checked.
        public var hasher: any PasswordHasher
        /// Failed logins allowed before logins are refused for a while.
        var throttleLimits: LoginThrottle.Limits = .standard
        /// The throttle's clock, in seconds; tests move it on.
        var throttleClock: @Sendable () -> Double = { LoginThrottle.monotonicSeconds() }

        public init(
            host: String = "127.0.0.1", port: Int = 8080, token: String, author: String, behindProxy: Bool = false,
            hasher: any PasswordHasher = BcryptHasher()
        ) {
            self.host = host
            self.port = port
            self.token = token
            self.author = author
            self.behindProxy = behindProxy
            self.hasher = hasher
        }
    }

    public let store: ContentStore
    public let options: Options
    let renderer: Renderer
    let throttle: LoginThrottle
    /// The entry pages' shared parts, rendered once per content version.
    let entryPages = EntryPageCache.make()
    /// Search rankings, ranked once per search and content version.
    let searchRankings = SearchRankingCache.make()
    /// The review queue's body (the same for everyone), rendered once per content version.
    let queuePages = VersionedCache<Int64, Int, String>(capacity: 1)
    /// Whole pages per person, kept per store version (`PageCache`).
    let pages = PageCache.make()
    /// Who each session is, kept per store version (`ViewerCache`).
    let viewers = ViewerCache.make()
    /// Sessions, in memory: a restart logs everyone out.
    let sessions: MemoryPersistDriver<ContinuousClock> = MemoryPersistDriver(configuration: .init())

    /// Entries a list page shows.
    static let pageSize = 50
    /// The session cookie's name.
    static let cookieName = "pmcms_session"
    /// The login form's own anti-forgery cookie (there is no session yet to hold a token).
    static let loginCookieName = "pmcms_login"
    /// How long a session lasts without logging in again.
    static let sessionLength = Duration.seconds(8 * 60 * 60)

    public init(store: ContentStore, options: Options) throws {
        self.store = store
        self.options = options
        renderer = try Renderer.shared.get()
        throttle = LoginThrottle(limits: options.throttleLimits, now: options.throttleClock)
    }

    /// A random secret from the operating system's generator: 32 bytes, hex.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The link that logs a browser in to a desk without accounts.
    public var loginURL: String { "\(baseURL)login?token=\(options.token)" }

    /// The desk's address on this machine, for a browser: the host it listens on, or, when it
    /// listens on every interface (`0.0.0.0`, `::`), the loopback address, since a browser
    /// cannot open a wildcard address.
    public var baseURL: String { address(host: Self.isWildcard(options.host) ? Self.loopback(for: options.host) : options.host) }

    func address(host: String) -> String { "http://\(Self.urlHost(host)):\(options.port)/" }

    /// What `pmcms serve` tells the person who started it to open. With accounts, the desk's
    /// address; one listening on every interface says so, with the address on this machine and
    /// the one by `hostName` for other machines. Without accounts, the one-time login link.
    public func howToOpen(hasAccounts: Bool, hostName: String? = nil) -> String {
        let hostName = hostName ?? ProcessInfo.processInfo.hostName
        guard hasAccounts else { return "open \(loginURL)" }
        guard Self.isWildcard(options.host) else { return "open \(baseURL) and log in with your account" }
        var text = "listening on all interfaces, port \(options.port): open \(baseURL) on this machine"
        if !hostName.isEmpty, !Self.isLoopback(hostName) { text += ", or \(address(host: hostName)) from another one" }
        return text + ", and log in with your account"
    }

    static func urlHost(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// Whether `host` is every interface of this machine rather than one address.
    public static func isWildcard(_ host: String) -> Bool {
        ["0.0.0.0", "::", "[::]"].contains(host)
    }

    /// The loopback address of a wildcard's family.
    static func loopback(for wildcard: String) -> String { wildcard.contains(":") ? "::1" : "127.0.0.1" }

    /// Whether `host` is this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) || host.hasPrefix("127.")
    }

    var cookieParameters: SessionCookieParameters {
        SessionCookieParameters(name: Self.cookieName, path: "/", secure: options.behindProxy, sameSite: .strict)
    }

    /// Serves the desk until the process is told to stop (SIGINT, SIGTERM), then shuts down
    /// gracefully. The web stack (Hummingbird, swift-log) stays inside this module.
    public func run() async throws {
        try await application().runService()
    }

    /// The application: routes, security headers, sessions, access check, request log.
    func application(logger: Logger = Logger(label: "pmcms.serve")) -> some ApplicationProtocol {
        let router = Router(context: DeskContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: SessionMiddleware(
            storage: sessions,
            configuration: .init(sessionCookieParameters: cookieParameters, defaultSessionExpiration: Self.sessionLength)))
        router.add(middleware: DeskGate(desk: self))
        addRoutes(to: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "pmcms"),
            services: [sessions],
            logger: logger)
    }

    func addRoutes(to router: Router<DeskContext>) {
        router.get("/assets/site.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Renderer.stylesheet)))
        }
        router.get("/login") { request, context in try await self.loginPage(request, context) }
        router.post("/login") { request, context in try await self.logIn(request, context) }
        router.post("/logout") { request, context in
            try await self.formResponse {
                let viewer = try context.requireViewer()
                _ = try await self.decodeForm(ActionForm.self, request, csrf: \.csrf, expected: viewer.csrf)
                context.sessions.clearSession()
                return Self.redirect(viewer.hasAccount ? "/login" : "/logged-out")
            }
        }
        router.get("/logged-out") { _, _ in
            ErrorPage.response(status: .ok, heading: "Logged out", text: "Open the login link pmcms serve printed to come back.")
        }
        router.get("/") { request, context in
            try await self.keptPage(request, context) { viewer in try self.queue(viewer) }
        }
        router.get("/entries") { request, context in
            let parameters = request.uri.formParameters
            return try await self.keptPage(request, context) { viewer in try self.entries(parameters, viewer) }
        }
        router.get("/entries/{ref}") { request, context in
            let ref = try context.parameters.require("ref")
            return try await self.keptPage(request, context) { viewer in try self.entry(ref, viewer) }
        }
        router.get("/entries/{ref}/diff") { request, context in
            let ref = try context.parameters.require("ref")
            let parameters = request.uri.formParameters
            return try await self.keptPage(request, context) { viewer in try self.diff(ref, parameters, viewer) }
        }
        router.get("/entries/{ref}/edit") { _, context in
            let viewer = try context.requireViewer()
            guard viewer.may(.edit) else { return Self.forbidden(viewer, .edit, refusedChange: false).response() }
            let ref = try context.parameters.require("ref")
            return try await Blocking.run {
                let view = try store.entry(ref)
                return HTMLPage(try renderer.page(
                    "edit", EditPage(view: view, csrf: viewer.csrf), title: "Edit \(view.content.title)", section: .entries, viewer: viewer))
            }.response()
        }
        router.post("/entries/{ref}/edit") { request, context in
            try await self.formResponse { try await self.saveEdit(context.parameters.require("ref"), request, context.requireViewer()) }
        }
        router.post("/entries/{ref}/actions/{action}") { request, context in
            try await self.formResponse {
                try await self.act(context.parameters.require("ref"), action: context.parameters.require("action"), request, context.requireViewer())
            }
        }
        router.post("/entries/{ref}/revert") { request, context in
            try await self.formResponse { try await self.revert(context.parameters.require("ref"), request, context.requireViewer()) }
        }
        addAdminRoutes(to: router)
    }

    func addAdminRoutes(to router: Router<DeskContext>) {
        router.get("/accounts") { _, context in
            let viewer = try context.requireViewer()
            guard viewer.may(.manageAccounts) else { return Self.forbidden(viewer, .manageAccounts, refusedChange: false).response() }
            return try await Blocking.run { try self.accountsPage(viewer) }.response()
        }
        router.post("/accounts") { request, context in
            try await self.formResponse {
                let viewer = try context.requireViewer()
                let form = try await self.decodeForm(AccountForm.self, request, csrf: \.csrf, expected: viewer.csrf)
                guard viewer.may(.manageAccounts) else { return Self.forbidden(viewer, .manageAccounts).response() }
                return try await Blocking.run { try self.addAccount(form, viewer) }
            }
        }
        router.post("/accounts/remove") { request, context in
            try await self.formResponse {
                let viewer = try context.requireViewer()
                let form = try await self.decodeForm(AccountForm.self, request, csrf: \.csrf, expected: viewer.csrf)
                guard viewer.may(.manageAccounts) else { return Self.forbidden(viewer, .manageAccounts).response() }
                guard let name = form.name, name.lowercased() != viewer.name.lowercased() else {
                    return ErrorPage.response(status: .badRequest, heading: "Not removed", text: "You cannot remove your own account here (use `pmcms user remove`).", back: "/accounts")
                }
                return try await Blocking.run {
                    try store.removeAccount(name, by: viewer.name)
                    return Self.redirect("/accounts")
                }
            }
        }
        router.get("/settings") { request, context in
            let viewer = try context.requireViewer()
            guard viewer.may(.changeSettings) else { return Self.forbidden(viewer, .changeSettings, refusedChange: false).response() }
            let saved = request.uri.queryParameters.get("saved") != nil
            return try await Blocking.run {
                let page = SettingsPage(values: try store.settings(), csrf: viewer.csrf, saved: saved)
                return HTMLPage(try renderer.page("settings", page, title: "Settings", section: .settings, viewer: viewer))
            }.response()
        }
        router.post("/settings") { request, context in
            try await self.formResponse {
                let viewer = try context.requireViewer()
                let form = try await self.decodeForm(SettingsForm.self, request, csrf: \.csrf, expected: viewer.csrf)
                guard viewer.may(.changeSettings) else { return Self.forbidden(viewer, .changeSettings).response() }
                return try await Blocking.run { try self.saveSettings(form, viewer) }
            }
        }
        router.post("/settings/review.self_approve") { request, context in
            try await self.formResponse {
                let viewer = try context.requireViewer()
                let form = try await self.decodeForm(AccountForm.self, request, csrf: \.csrf, expected: viewer.csrf)
                guard viewer.may(.changeSettings) else { return Self.forbidden(viewer, .changeSettings).response() }
                guard let value = form.value, SettingKey.reviewSelfApprove.problem(with: value) == nil else { throw FormError.unreadable }
                return try await Blocking.run {
                    try store.setSetting(.reviewSelfApprove, value)
                    return Self.redirect("/accounts")
                }
            }
        }
    }

    func accountsPage(_ viewer: Viewer, typed form: AccountForm? = nil, error: String? = nil) throws -> HTMLPage {
        let page = AccountsPage(
            accounts: try store.accounts(), viewer: viewer.name, csrf: viewer.csrf,
            selfApprove: try store.allowsSelfApproval(), typedName: form?.name ?? "",
            typedRole: form?.role.flatMap(Role.init(rawValue:)) ?? .writer, error: error)
        return HTMLPage(try renderer.page("accounts", page, title: "Accounts", section: .accounts, viewer: viewer), status: error == nil ? .ok : .unprocessableContent)
    }

    /// Writes the settings the admin changed, all in one transaction, after checking each by the
    /// rules `pmcms config` follows; when one is refused nothing is written and the form comes
    /// back with every typed value and the reasons.
    func saveSettings(_ form: SettingsForm, _ viewer: Viewer) throws -> Response {
        let changes = form.changes
        var problems: [SettingKey: String] = [:]
        for (key, value) in changes {
            if let value, let problem = key.problem(with: value) { problems[key] = problem }
        }
        if problems.isEmpty {
            do {
                try store.setSettings(changes)
                return Self.redirect("/settings?saved=1")
            } catch StoreError.invalidField(let name, let reason) {
                problems[SettingKey(rawValue: name) ?? .siteTitle] = reason
            }
        }
        let page = SettingsPage(values: try store.settings(), typed: form, problems: problems, csrf: viewer.csrf)
        return try HTMLPage(renderer.page("settings", page, title: "Settings", section: .settings, viewer: viewer), status: .unprocessableContent)
            .response()
    }

    /// Adds the account the admin typed; on a refusal the page comes back with why (the name and
    /// role kept, never the password).
    func addAccount(_ form: AccountForm, _ viewer: Viewer) throws -> Response {
        guard let role = form.role.flatMap(Role.init(rawValue:)) else {
            return try accountsPage(viewer, typed: form, error: "Choose a role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).").response()
        }
        do {
            try store.addAccount(form.name ?? "", role: role, password: form.password ?? "", by: viewer.name, hasher: options.hasher)
            return Self.redirect("/accounts")
        } catch let error as StoreError {
            switch error {
            case .invalidField(_, let reason): return try accountsPage(viewer, typed: form, error: reason).response()
            case .accountExists(let name): return try accountsPage(viewer, typed: form, error: "There is already an account '\(name)'.").response()
            default: throw error
            }
        }
    }

    /// The page for a step the person's role may not take: 403, saying who may. `refusedChange`:
    /// a form was sent (and nothing written), rather than a page asked for.
    static func forbidden(_ viewer: Viewer, _ permission: Permission, refusedChange: Bool = true) -> HTMLPage {
        let needed = Role.lowest(for: permission)
        func withArticle(_ role: Role) -> String { (role == .admin ? "an " : "a ") + role.rawValue }
        let text = "You are logged in as \(viewer.name), \(withArticle(viewer.role)); to \(permission.rawValue) takes \(withArticle(needed))\(needed == .admin ? "" : " or above")."
            + (refusedChange ? " Nothing was changed." : "")
        let html = (try? ErrorPage.renderer?.page(
            "message", MessagePage(heading: "Not allowed", text: text, back: "/"), title: "Not allowed", section: .other, viewer: viewer)) ?? "Not allowed"
        return HTMLPage(html, status: .forbidden)
    }

    // MARK: Logging in

    /// The client's address for the login throttle: the peer, or behind a proxy the address
    /// the proxy added last to `X-Forwarded-For` (earlier entries are the client's to forge).
    func clientAddress(_ request: Request, _ context: DeskContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "local"
        if options.behindProxy, let forwarded = request.headers[.init("X-Forwarded-For")!],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            return last
        }
        return peer
    }

    func loginPage(_ request: Request, _ context: DeskContext) async throws -> Response {
        let hasAccounts = try await Blocking.run { try store.hasAccounts() }
        if let token = request.uri.queryParameters.get("token") {
            guard !hasAccounts else {
                return ErrorPage.response(status: .unauthorized, heading: "Log in with your account", text: "This desk has accounts now: the login link no longer opens it.", back: "/login")
            }
            guard sameSecret(token, options.token) else {
                return ErrorPage.response(status: .unauthorized, heading: "Login link not valid", text: "Use the login link pmcms serve printed when it started.")
            }
            context.sessions.createSession(DeskSession(account: nil, csrf: Self.makeToken()))
            return Self.redirect("/")
        }
        guard hasAccounts else {
            return ErrorPage.response(status: .unauthorized, heading: "Log in first", text: "Open the login link pmcms serve printed when it started.")
        }
        // The browser's login token, when it has one, is kept: a browser loads /login again
        // behind the person's back (its /favicon.ico request is sent here too), and a new token
        // would make the form already on the screen fail as forged.
        let held = request.cookies[Self.loginCookieName].map { String($0.value) }
        return loginForm(name: "", error: nil, status: .ok, token: held.flatMap { Self.isToken($0) ? $0 : nil })
    }

    /// Whether `text` has the shape of a token from `makeToken` (64 hex digits).
    static func isToken(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The login form, with an anti-forgery token (fresh unless given) in the form and in a
    /// cookie of its own.
    func loginForm(name: String, error: String?, status: HTTPResponse.Status, token given: String? = nil) -> Response {
        let token = given ?? Self.makeToken()
        let html = (try? renderer.page("login", LoginPage(name: name, csrf: token, error: error), title: "Log in", section: .login))
            ?? "Log in"
        var response = HTMLPage(html, status: status).response()
        let cookie = Cookie(name: Self.loginCookieName, value: token, path: "/login", secure: options.behindProxy, httpOnly: true, sameSite: .strict)
        response.headers[.setCookie] = cookie.description
        return response
    }

    func logIn(_ request: Request, _ context: DeskContext) async throws -> Response {
        try await formResponse {
            let cookie = request.cookies[Self.loginCookieName]?.value ?? ""
            let form = try await decodeForm(LoginForm.self, request, csrf: \.csrf, expected: cookie.isEmpty ? Self.makeToken() : String(cookie))
            let client = clientAddress(request, context)
            if let wait = throttle.wait(account: form.name, client: client) {
                let minutes = max(1, Int((wait / 60).rounded(.up)))
                return loginForm(name: form.name, error: "Too many failed logins: try again in \(Plural.count(minutes, "minute")).", status: .tooManyRequests)
            }
            let store = store, hasher = options.hasher, name = form.name, password = form.password
            let account = try await Blocking.run { try store.authenticate(name, password: password, hasher: hasher) }
            guard let account else {
                throttle.failed(account: form.name, client: client)
                return loginForm(name: form.name, error: "That name and password do not match an account.", status: .unauthorized)
            }
            throttle.succeeded(account: account.name)
            context.sessions.createSession(DeskSession(account: account.name, csrf: Self.makeToken()))
            return Self.redirect("/")
        }
    }

    // MARK: Changes

    /// Turns a refused form into its page: forged 403, too large 413, unreadable 400.
    func formResponse(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as FormError {
            switch error {
            case .forged: return ErrorPage.response(status: .forbidden, heading: "Form refused", text: "This form did not come from a page of this review desk (its token is missing or old). Reload the page and try again.")
            case .tooLarge: return ErrorPage.response(status: .contentTooLarge, heading: "Too large", text: "The form is larger than \(Self.maxFormSize / 1024) KB.")
            case .unreadable: return ErrorPage.response(status: .badRequest, heading: "Form not understood", text: "The form's fields could not be read.")
            }
        }
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    func saveEdit(_ ref: String, _ request: Request, _ viewer: Viewer) async throws -> Response {
        let form = try await decodeForm(EditForm.self, request, csrf: \.csrf, expected: viewer.csrf)
        guard viewer.may(.edit) else { return Self.forbidden(viewer, .edit).response() }
        return try await Blocking.run { try self.saveEdit(ref, form, viewer) }
    }

    func saveEdit(_ ref: String, _ form: EditForm, _ viewer: Viewer) throws -> Response {
        let csrfToken = viewer.csrf
        do {
            let links = try editedLinks(ref, form)
            try store.edit(ref, author: viewer.name, message: form.message?.nonEmpty, expectRevision: form.rev) { content in
                form.apply(to: &content)
                if let related = links.related { content.related = related }
                if let articles = links.articles { content.articles = articles }
            }
            return Self.redirect("/entries/\(try store.header(ref).slug)")
        } catch let error as StoreError {
            let view = try store.entry(ref)
            if case .staleRevision(_, let expected, let actual) = error {
                // Nothing was written. Show what changed since, with the typed text kept and the
                // fields left alone brought up to date, and let a second save (now knowing) go
                // on from the current revision.
                var page = EditPage(view: view, typed: form, csrf: csrfToken, rev: actual, error: nil)
                let base = EditPage(view: try store.entry(ref, at: .number(expected)), csrf: csrfToken)
                page.keepChanges(since: base, theirs: EditPage(view: view, csrf: csrfToken))
                page.changes = try changes(ref, from: expected, to: actual, viewer)
                page.seen = expected
                page.latest = actual
                return try HTMLPage(renderer.page("edit", page, title: "Changed meanwhile", section: .entries, viewer: viewer), status: .conflict)
                    .response()
            }
            let page = EditPage(view: view, typed: form, csrf: csrfToken, rev: form.rev, error: Self.sentence(error))
            return try HTMLPage(renderer.page("edit", page, title: "Edit \(view.content.title)", section: .entries, viewer: viewer), status: .unprocessableContent)
                .response()
        }
    }

    /// The links typed in the edit form, read as `pmcms edit` reads its front matter's lists
    /// (`ContentStore.editedLinks`: an untouched line stays the link as stored). Read before the
    /// write, which must not read through the store; the write's revision check still guards
    /// the result. A form from an older revision is refused as stale first, so that the typed
    /// lines are never read against links the person did not see.
    func editedLinks(_ ref: String, _ form: EditForm) throws -> (related: [LinkRef]?, articles: [LinkRef]?) {
        let view = try store.entry(ref)
        if view.header.head != form.rev {
            throw StoreError.staleRevision(slug: view.slug, expected: form.rev, actual: view.header.head)
        }
        let stored = view.content.related + view.content.articles
        let shown = view.related + view.articles
        func links(_ field: EditableField, _ text: String?) throws -> [LinkRef]? {
            guard let refs = EditForm.refs(text) else { return nil }
            do {
                return try store.editedLinks(refs, stored: stored, shown: shown).links
            } catch StoreError.unknownEntry(let ref) {
                throw StoreError.invalidField(
                    name: field.rawValue, reason: "'\(ref)' is neither an entry of this store (its slug or id) nor an http(s) URL")
            }
        }
        return (try links(.related, form.related), try links(.articles, form.articles))
    }

    func act(_ ref: String, action name: String, _ request: Request, _ viewer: Viewer) async throws -> Response {
        guard let action = WorkflowAction(rawValue: name) else {
            return ErrorPage.response(status: .notFound, heading: "No such action", text: "'\(name)' is not a workflow step.")
        }
        let form = try await decodeForm(ActionForm.self, request, csrf: \.csrf, expected: viewer.csrf)
        // The role is checked here, whatever the page offered: a forged post gets 403.
        guard viewer.may(Permission(action)) else { return Self.forbidden(viewer, Permission(action)).response() }
        return try await Blocking.run {
            do {
                try store.transition(ref, action, author: viewer.name, message: form.message?.nonEmpty, expectRevision: form.rev)
                return Self.redirect("/entries/\(try store.header(ref).slug)")
            } catch let error as StoreError {
                return try refusal(ref, error, viewer)
            }
        }
    }

    func revert(_ ref: String, _ request: Request, _ viewer: Viewer) async throws -> Response {
        let form = try await decodeForm(ActionForm.self, request, csrf: \.csrf, expected: viewer.csrf)
        guard let number = form.number else { throw FormError.unreadable }
        guard viewer.may(.revert) else { return Self.forbidden(viewer, .revert).response() }
        return try await Blocking.run {
            do {
                try store.revert(ref, to: number, author: viewer.name, message: form.message?.nonEmpty, expectRevision: form.rev)
                return Self.redirect("/entries/\(try store.header(ref).slug)")
            } catch let error as StoreError {
                return try refusal(ref, error, viewer)
            }
        }
    }

    /// A workflow step or revert that was not done, and why, in the desk's words.
    func refusal(_ ref: String, _ error: StoreError, _ viewer: Viewer) throws -> Response {
        let slug = try store.header(ref).slug
        switch error {
        case .staleRevision(_, let expected, let actual):
            let body = try changes(ref, from: expected, to: actual, viewer)
            let page = ChangedPage(slug: slug, seen: expected, latest: actual, changes: body)
            return try HTMLPage(renderer.page("changed", page, title: "Changed meanwhile", section: .entries, viewer: viewer), status: .conflict).response()
        case .selfApproval:
            return ErrorPage.response(
                status: .forbidden, heading: "Not allowed",
                text: "You wrote part of this change, so another reviewer approves it (an admin can allow approving one's own changes with `pmcms config review.self_approve true`). Nothing was changed.",
                back: "/entries/\(slug)")
        case .illegalTransition(_, let action, let from):
            let allowed = WorkflowAction.allCases.filter { Workflow.allows($0, from: from) }.map(\.rawValue)
            return ErrorPage.response(
                status: .conflict, heading: "Not done",
                text: "It cannot be \(action.rawValue == "submit" ? "submitted" : action.rawValue + "d") now: it is \(statusLabel(from)). From here it can be: \(allowed.joined(separator: ", ")).",
                back: "/entries/\(slug)")
        case .messageRequired(let action):
            return ErrorPage.response(status: .badRequest, heading: "Say why", text: "To \(action.rawValue), write what needs to change.", back: "/entries/\(slug)")
        default:
            return ErrorPage.response(status: .badRequest, heading: "Not done", text: Self.sentence(error), back: "/entries/\(slug)")
        }
    }

    /// The diff of what changed between two revisions, as a piece of a page.
    func changes(_ ref: String, from: Int, to: Int, _ viewer: Viewer) throws -> String {
        let pair = try store.revisionPair(ref, from: .number(from), to: .number(to))
        let diff = EntryDiff(entryID: pair.header.id, slug: pair.header.slug, from: pair.old, to: pair.new, old: pair.oldContent, new: pair.newContent)
        var page = DiffPage(diff: diff, title: pair.newContent.title, head: pair.header.head, csrf: viewer.csrf)
        page.canRevert = false
        return try renderer.fragment("diff", page)
    }

    /// A store refusal said for a person at a browser, for the refusals the desk words its own way.
    static func sentence(_ error: StoreError) -> String {
        switch error {
        case .invalidField(let name, let reason): "\(name.replacingOccurrences(of: "_", with: " ")): \(reason)"
        case .notADate(let name, let text): "\(name.replacingOccurrences(of: "_", with: " ")): '\(text)' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"
        case .unknownEntry: "There is no such entry."
        case .unknownRevision(_, let number): "There is no revision \(number)."
        default: error.description
        }
    }

    // MARK: Pages

    /// A page that only reads: served from `pages` when this person asked for it before at the
    /// store version the gate read, else rendered off the server's threads and kept when it
    /// answered 200. Rendered after the version was read, so what is kept is at least as new.
    func keptPage(
        _ request: Request, _ context: DeskContext, render: @escaping @Sendable (Viewer) throws -> HTMLPage
    ) async throws -> Response {
        let viewer = try context.requireViewer()
        guard let version = context.version else { return try await Blocking.run { try render(viewer) }.response() }
        let key = PageCache.Key(uri: request.uri.description, viewer: viewer)
        if let kept = pages.value(key, version: version) { return HTMLPage.response(kept, status: .ok) }
        let page = try await Blocking.run { try render(viewer) }
        let bytes = ByteBuffer(string: page.html)
        if page.status == .ok { pages.keep(bytes, key, version: version) }
        return HTMLPage.response(bytes, status: page.status)
    }

    func queue(_ viewer: Viewer) throws -> HTMLPage {
        // The queue is the same for everyone: its body is kept per content version (read first,
        // so what is kept is at least as new as the version it is kept for).
        let version = try store.contentVersion()
        let body: String
        if let kept = queuePages.value(0, version: version) {
            body = kept
        } else {
            // Bounded: one more than a page tells that more wait, and the page says where to find
            // them (the entries list, filtered by status, paginates).
            let queue = try store.reviewQueue(statuses: [.inReview, .approved], limit: Self.pageSize + 1, links: false)
            let scheduled = try store.list(ListQuery(scheduled: true, sort: .id, limit: Self.pageSize + 1))
            body = try renderer.fragment("queue", QueuePage(queue, scheduled: scheduled, pageSize: Self.pageSize))
            queuePages.keep(body, 0, version: version)
        }
        return HTMLPage(try renderer.page(body: body, title: "Review queue", section: .queue, viewer: viewer))
    }

    func entries(_ parameters: Parameters, _ viewer: Viewer) throws -> HTMLPage {
        let kind = parameters.get("kind").flatMap(Kind.init(rawValue:))
        let status = parameters.get("status").flatMap(Status.init(rawValue:))
        let sort = parameters.get("sort").flatMap(ListSort.init(rawValue:)) ?? .updated
        // Bounded, so that the offset it makes cannot overflow.
        let page = min(max(1, parameters.get("page").flatMap { Int($0) } ?? 1), 1_000_000)
        let query = parameters.get("q")?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty

        var rows: [EntriesPage.Row] = []
        var hasMore = false
        var matches: String?
        if let query {
            let result: (hits: [SearchHit], more: Bool, matches: String)
            do {
                result = try searchPage(SearchQuery(query, kind: kind, status: status), page: page)
            } catch let error as StoreError {
                return HTMLPage(try renderer.page(
                    "message", MessagePage(heading: "Search", text: error.description, back: "/entries"),
                    title: "Search", section: .entries, query: query, viewer: viewer), status: .badRequest)
            }
            hasMore = result.more
            matches = result.matches
            rows = result.hits.map { hit in
                EntriesPage.Row(
                    slug: hit.slug, title: hit.title, kind: hit.kind.rawValue, status: hit.status.rawValue,
                    statusLabel: statusLabel(hit.status), date: "", snippet: .init(parts: SnippetPart.parts(hit.snippet)))
            }
        } else {
            // One more than a page tells whether there is a next page.
            let views = try store.list(ListQuery(kind: kind, status: status, sort: sort, limit: Self.pageSize + 1, offset: (page - 1) * Self.pageSize))
            hasMore = views.count > Self.pageSize
            rows = views.prefix(Self.pageSize).map { view in
                EntriesPage.Row(
                    slug: view.slug, title: view.content.title, kind: view.kind.rawValue, status: view.content.status.rawValue,
                    statusLabel: statusLabel(view.content.status),
                    date: sort == .edited ? (view.content.editedAt ?? "") : (sort == .created ? view.header.createdAt : view.header.updatedAt),
                    snippet: nil)
            }
        }
        func link(page: Int) -> String {
            var items: [URLQueryItem] = []
            if let query { items.append(.init(name: "q", value: query)) }
            if let kind { items.append(.init(name: "kind", value: kind.rawValue)) }
            if let status { items.append(.init(name: "status", value: status.rawValue)) }
            if query == nil { items.append(.init(name: "sort", value: sort.rawValue)) }
            items.append(.init(name: "page", value: String(page)))
            var components = URLComponents()
            components.path = "/entries"
            components.queryItems = items
            return components.string ?? "/entries"
        }
        let model = EntriesPage(
            heading: query.map { "Search: \($0)" } ?? "Entries", query: query,
            kinds: [Option(value: "", label: "any", selected: kind == nil)]
                + Kind.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == kind) },
            statuses: [Option(value: "", label: "any", selected: status == nil)]
                + Status.allCases.map { Option(value: $0.rawValue, label: statusLabel($0), selected: $0 == status) },
            sorts: ListSort.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == sort) },
            rows: rows, dateHeading: sort == .edited ? "Edited" : (sort == .created ? "Created" : "Updated"), page: page,
            previous: page > 1 ? link(page: page - 1) : nil, next: hasMore ? link(page: page + 1) : nil, matches: matches)
        return HTMLPage(try renderer.page("entries", model, title: model.heading, section: .entries, query: query, viewer: viewer))
    }

    /// A page of search hits, whether more follow, and how many match: from the search's ranking
    /// of its best `SearchRankingCache.depth` matches, ranked once per content version (read
    /// first, so the ranking is at least as new as the version it is kept for); a page past the
    /// kept ranking is ranked on its own.
    func searchPage(_ search: SearchQuery, page: Int) throws -> (hits: [SearchHit], more: Bool, matches: String) {
        let version = try store.contentVersion()
        let key = SearchRankingCache.Key(text: search.text, kind: search.kind, status: search.status)
        let ranking: SearchRanking
        if let kept = searchRankings.value(key, version: version) {
            ranking = kept
        } else {
            ranking = try store.searchRanking(search, limit: SearchRankingCache.depth)
            searchRankings.keep(ranking, key, version: version)
        }
        let matches = Self.matchesLabel(count: ranking.items.count, more: ranking.more)
        let start = (page - 1) * Self.pageSize
        let end = start + Self.pageSize
        if end <= ranking.items.count || !ranking.more {
            let shown = ranking.items[min(start, ranking.items.count)..<min(end, ranking.items.count)]
            return (try store.searchHits(search, shown), end < ranking.items.count || ranking.more, matches)
        }
        var beyond = search
        beyond.limit = Self.pageSize + 1
        beyond.offset = start
        let hits = try store.search(beyond)
        return (Array(hits.prefix(Self.pageSize)), hits.count > Self.pageSize, matches)
    }

    /// "3 matches", "1 match", "more than 1,000 matches".
    static func matchesLabel(count: Int, more: Bool) -> String {
        // Digits grouped by three with commas, whatever the server's locale.
        let digits = String(count)
        var number = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { number.append(",") }
            number.append(digit)
        }
        if more { return "more than \(number) matches" }
        return count == 1 ? "1 match" : "\(number) matches"
    }

    /// An entry page: the parts every viewer sees alike, kept for the store's content version
    /// (`EntryPageCache`), around this person's buttons and form token.
    func entry(_ ref: String, _ viewer: Viewer) throws -> HTMLPage {
        let stamp = try store.stamp(ref)
        let parts = try entryPages.value(EntryPageCache.Key(stamp), version: stamp.version) ?? entryParts(stamp)
        // Only the steps this person may take are offered (the server checks again on post).
        let mayApprove = try store.mayApprove(String(stamp.header.id), author: viewer.name)
        let frame = EntryFrame(
            top: parts.top, rest: parts.rest, slug: parts.slug, revision: parts.revision, csrf: viewer.csrf,
            canEdit: viewer.may(.edit),
            actions: EntryPage.actions(from: parts.status) { action in
                viewer.may(Permission(action)) && (action != .approve || mayApprove)
            })
        return HTMLPage(try renderer.page("entry", frame, title: parts.title, section: .entries, viewer: viewer))
    }

    /// Reads and renders the shared parts of an entry's page, and keeps them for `stamp`'s
    /// version. Read after the stamp, so never older than it.
    func entryParts(_ stamp: EntryStamp) throws -> EntryPageCache.Parts {
        let id = String(stamp.header.id)
        let latest = try store.entry(id)
        // The live revision is read only when the page shows it beside the latest.
        let live = try latest.header.live.flatMap { number in
            number == latest.revision ? nil : try store.entry(id, at: .number(number))
        }
        let model = EntryPage(latest: latest, live: live, revisions: try store.revisions(id))
        let parts = EntryPageCache.Parts(
            top: try renderer.fragment("entry_top", model), rest: try renderer.fragment("entry_rest", model),
            slug: latest.slug, title: model.title, status: latest.content.status, revision: latest.revision)
        entryPages.keep(parts, EntryPageCache.Key(stamp), version: stamp.version)
        return parts
    }

    func diff(_ ref: String, _ parameters: Parameters, _ viewer: Viewer) throws -> HTMLPage {
        let header = try store.header(ref)
        func name(_ key: String, default fallback: RevisionName) throws -> RevisionName {
            guard let text = parameters.get(key) else { return fallback }
            guard let name = RevisionName(parsing: text) else {
                throw HTTPError(.badRequest, message: "'\(text)' is not a revision (use \(RevisionName.accepted))")
            }
            return name
        }
        // By default: live against latest, or the latest against its parent when nothing is live.
        let from = try name("from", default: header.live == nil ? .number(max(1, header.head - 1)) : .live)
        let to = try name("to", default: .latest)
        let pair = try store.revisionPair(ref, from: from, to: to)
        let diff = EntryDiff(entryID: pair.header.id, slug: pair.header.slug, from: pair.old, to: pair.new, old: pair.oldContent, new: pair.newContent)
        var model = DiffPage(diff: diff, title: pair.newContent.title, head: pair.header.head, csrf: viewer.csrf)
        model.canRevert = model.canRevert && viewer.may(.revert)
        return HTMLPage(try renderer.page("diff", model, title: "Changes to \(model.title)", section: .entries, viewer: viewer))
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// An HTML page as a response.
struct HTMLPage: ResponseGenerator, Sendable {
    var html: String
    var status: HTTPResponse.Status = .ok

    init(_ html: String, status: HTTPResponse.Status = .ok) {
        self.html = html
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        Self.response(ByteBuffer(string: html), status: status)
    }

    static func response(_ html: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: html))
    }
}
