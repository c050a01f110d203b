import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PMCMS

/// Headers every response carries: no script at all (the desk needs none), nothing loaded from
/// another origin (images included: a remote image in an entry would tell its server who reads
/// the entry and when, so the desk shows its alt text instead), no framing, no guessing of
/// content types.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var policy: String {
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    }

    // Made once: a header name is checked character by character when it is made.
    static var contentSecurityPolicy: HTTPField.Name { Names.contentSecurityPolicy }
    static var contentTypeOptions: HTTPField.Name { Names.contentTypeOptions }
    static var referrerPolicy: HTTPField.Name { Names.referrerPolicy }
    static var frameOptions: HTTPField.Name { Names.frameOptions }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as StoreError {
            response = ErrorPage.response(for: error)
        }
        response.headers[Self.contentSecurityPolicy] = Self.policy
        response.headers[Self.contentTypeOptions] = "nosniff"
        // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with
        // every form post, and the origin check would refuse the desk's own forms. Nothing is
        // sent to other sites either way.
        response.headers[Self.referrerPolicy] = "same-origin"
        response.headers[Self.frameOptions] = "DENY"
        return response
    }
}

/// The security headers' names (static stored properties cannot live in a generic type).
private enum Names {
    // Literal names, valid by construction.
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
}

/// Finds who is behind a request from their session (hummingbird-auth's `SessionMiddleware`
/// runs first and loads it), and lets only them through; the login pages and the stylesheet
/// are open to everyone.
///
/// Every request checks who a session is against the store's version, which every change to an
/// account moves (in this process or another), so that a removed account or a changed role takes
/// effect at the next request. A session of the one-time login link counts only while
/// the store has no accounts: once one exists, the desk is entered by account.
struct DeskGate: RouterMiddleware {
    let desk: ReviewDesk

    func handle(_ request: Request, context: DeskContext, next: (Request, DeskContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if ["/assets/site.css", "/login", "/logged-out"].contains(path) { return try await next(request, context) }
        let session = context.sessions.session
        let store = desk.store
        let viewers = desk.viewers
        // The common case, a known session while nothing changed, costs no thread hop: the
        // version is asked without waiting for any lock (`versionWithoutWaiting`) and who the
        // session is was kept at that version. Anything else is looked up off the server's threads.
        let quick: (StoreVersion, Viewer?)? = store.versionWithoutWaiting().flatMap { version in
            guard let session, let kept = viewers.value(ViewerCache.Key(account: session.account), version: version) else { return nil }
            return (version, kept.viewer(session))
        }
        let (version, viewer): (StoreVersion, Viewer?)
        if let quick {
            (version, viewer) = quick
        } else {
            (version, viewer) = try await Self.lookUp(session, store: store, viewers: viewers, author: desk.options.author)
        }
        guard let viewer else {
            if session != nil { context.sessions.clearSession() }
            let accounts = try await Blocking.run { try store.hasAccounts() }
            if accounts && request.method == .get {
                return Response(status: .seeOther, headers: [.location: "/login"])
            }
            return ErrorPage.response(
                status: .unauthorized, heading: "Log in first",
                text: accounts ? "Log in with your account." : "Open the login link pmcms serve printed when it started.",
                back: accounts ? "/login" : "/")
        }
        var context = context
        context.viewer = viewer
        context.version = version
        return try await next(request, context)
    }

    /// Who `session` is, read from the store (off the server's threads, waiting as reads do)
    /// and kept for the version read first.
    static func lookUp(
        _ session: DeskSession?, store: ContentStore, viewers: VersionedCache<StoreVersion, ViewerCache.Key, ViewerCache.Lookup>,
        author: String
    ) async throws -> (StoreVersion, Viewer?) {
        try await Blocking.run {
            let version = try store.version()
            guard let session else { return (version, nil) }
            let key = ViewerCache.Key(account: session.account)
            let lookup: ViewerCache.Lookup
            if let kept = viewers.value(key, version: version) {
                lookup = kept
            } else if let name = session.account {
                lookup = .init(found: try store.account(named: name).map { .init(name: $0.name, role: $0.role) })
                viewers.keep(lookup, key, version: version)
            } else {
                // The person who started serve, as the CLI trusts its user, while no account exists.
                lookup = .init(found: try store.hasAccounts() ? nil : .init(name: author, role: .admin))
                viewers.keep(lookup, key, version: version)
            }
            return (version, lookup.viewer(session))
        }
    }
}

/// Whether a presented secret (login token, form token) equals ours, compared without stopping
/// at the first difference, so that response times do not tell how much of a guess was right.
func sameSecret(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for i in x.indices { difference |= x[i] ^ y[i] }
    return difference == 0
}

/// One log line per request: method, path, status, milliseconds.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = start.duration(to: .now)
        // Tenths of a millisecond in integers: Foundation's String(format:) cost more than
        // the rest of a kept page's request.
        let tenths = elapsed.components.seconds * 10_000 + elapsed.components.attoseconds / 100_000_000_000_000
        context.logger.info("\(request.method) \(request.uri.path) \(status) \(tenths / 10).\(tenths % 10) ms")
    }
}

/// Error pages, plain text escaped by hand-free means: the text goes through Mustache.
enum ErrorPage {
    static let renderer = try? Renderer.shared.get()

    static func response(for error: StoreError) -> Response {
        switch error {
        case .unknownEntry, .unknownRevision:
            response(status: .notFound, heading: "Not found", text: error.description)
        default:
            response(status: .badRequest, heading: "Cannot show this", text: error.description)
        }
    }

    static func response(status: HTTPResponse.Status, heading: String, text: String, back: String = "/") -> Response {
        let html = (try? renderer?.page("message", MessagePage(heading: heading, text: text, back: back), title: heading, section: .other))
            ?? "Error"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
