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

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as StoreError {
            response = ErrorPage.response(for: error)
        }
        response.headers[HTTPField.Name("Content-Security-Policy")!] = Self.policy
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with
        // every form post, and the origin check would refuse the desk's own forms. Nothing is
        // sent to other sites either way.
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }
}

/// Finds who is behind a request from their session (hummingbird-auth's `SessionMiddleware`
/// runs first and loads it), and lets only them through; the login pages and the stylesheet
/// are open to everyone.
///
/// An account's role is read from the store on every request, so that a removed account or a
/// changed role takes effect at once. A session of the one-time login link counts only while
/// the store has no accounts: once one exists, the desk is entered by account.
struct DeskGate: RouterMiddleware {
    let desk: ReviewDesk

    func handle(_ request: Request, context: DeskContext, next: (Request, DeskContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if ["/assets/site.css", "/login", "/logged-out"].contains(path) { return try await next(request, context) }
        let session = context.sessions.session
        let store = desk.store
        let author = desk.options.author
        let viewer: Viewer? = try await Blocking.run {
            guard let session else { return nil }
            if let name = session.account {
                guard let account = try store.account(named: name) else { return nil }
                return Viewer(name: account.name, role: account.role, csrf: session.csrf, hasAccount: true)
            }
            guard try !store.hasAccounts() else { return nil }
            // The person who started serve, as the CLI trusts its user.
            return Viewer(name: author, role: .admin, csrf: session.csrf, hasAccount: false)
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
        return try await next(request, context)
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
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("\(request.method) \(request.uri.path) \(status) \(String(format: "%.1f", ms)) ms")
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
