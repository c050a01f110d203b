import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PMCMS

/// `pmcms serve`: the review desk in a browser, a face on the same library as the CLI. It
/// renders the core's values (entries, histories, structured diffs) as HTML; it holds no store
/// logic of its own.
///
/// Pages: the review queue, the entries list and search, an entry with its history and its
/// workflow buttons, the edit form, and any two revisions side by side with a revert button.
/// Access needs the one-time login link the server prints (a random token, as Jupyter does);
/// the session cookie is HttpOnly and SameSite=Strict. Accounts and roles are still to come.
public struct ReviewDesk: Sendable {
    /// Where and how the desk runs.
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        /// The secret in the login link; a browser that presented it holds it in its cookie.
        public var token: String
        /// Who the revisions made through the desk are signed by (until accounts exist, the
        /// person who started it, as the CLI signs).
        public var author: String

        public init(host: String = "127.0.0.1", port: Int = 8080, token: String, author: String) {
            self.host = host
            self.port = port
            self.token = token
            self.author = author
        }
    }

    public let store: ContentStore
    public let options: Options
    let renderer: Renderer
    /// Every form carries it; a post without it did not come from a page of this server.
    let csrfToken: String

    /// Entries a list page shows.
    static let pageSize = 50
    /// The session cookie's name.
    static let cookieName = "pmcms_session"

    public init(store: ContentStore, options: Options) throws {
        self.store = store
        self.options = options
        renderer = try Renderer.shared.get()
        csrfToken = Self.makeToken()
    }

    /// A random login token from the operating system's generator: 32 bytes, hex.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The link that logs a browser in.
    public var loginURL: String { "http://\(options.host):\(options.port)/login?token=\(options.token)" }

    /// The application: routes, security headers, access check, request log.
    public func application(logger: Logger = Logger(label: "pmcms.serve")) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: SessionGate(token: options.token, cookieName: Self.cookieName))
        addRoutes(to: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "pmcms"),
            logger: logger)
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/assets/site.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Renderer.stylesheet)))
        }
        router.get("/login") { request, _ in
            // The gate has already checked the token; set the cookie and go to the queue.
            var headers = HTTPFields()
            headers[.location] = "/"
            headers[.setCookie] = "\(Self.cookieName)=\(options.token); Path=/; HttpOnly; SameSite=Strict"
            return Response(status: .seeOther, headers: headers)
        }
        router.get("/") { _, _ in try self.queue() }
        router.get("/entries") { request, _ in try self.entries(request.uri.queryParameters) }
        router.get("/entries/{ref}") { _, context in try self.entry(context.parameters.require("ref")) }
        router.get("/entries/{ref}/diff") { request, context in
            try self.diff(context.parameters.require("ref"), request.uri.queryParameters)
        }
        router.get("/entries/{ref}/edit") { _, context in
            let view = try store.entry(try context.parameters.require("ref"))
            return HTMLPage(try renderer.page("edit", EditPage(view: view, csrf: csrfToken), title: "Edit \(view.content.title)", section: .entries))
        }
        router.post("/entries/{ref}/edit") { request, context in
            try await self.formResponse { try await self.saveEdit(context.parameters.require("ref"), request) }
        }
        router.post("/entries/{ref}/actions/{action}") { request, context in
            try await self.formResponse {
                try await self.act(context.parameters.require("ref"), action: context.parameters.require("action"), request)
            }
        }
        router.post("/entries/{ref}/revert") { request, context in
            try await self.formResponse { try await self.revert(context.parameters.require("ref"), request) }
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

    func saveEdit(_ ref: String, _ request: Request) async throws -> Response {
        let form = try await decodeForm(EditForm.self, request, csrf: \.csrf)
        do {
            try store.edit(ref, author: options.author, message: form.message?.nonEmpty, expectRevision: form.rev) { content in
                form.apply(to: &content)
            }
            return Self.redirect("/entries/\(try store.header(ref).slug)")
        } catch let error as StoreError {
            let view = try store.entry(ref)
            if case .staleRevision(_, let expected, let actual) = error {
                // Nothing was written. Show what changed since, with the typed text kept, and
                // let a second save (now knowing) go on from the current revision.
                var page = EditPage(view: view, typed: form, csrf: csrfToken, rev: actual, error: nil)
                page.changes = try changes(ref, from: expected, to: actual)
                page.seen = expected
                page.latest = actual
                return try HTMLPage(renderer.page("edit", page, title: "Changed meanwhile", section: .entries), status: .conflict)
                    .response()
            }
            let page = EditPage(view: view, typed: form, csrf: csrfToken, rev: form.rev, error: Self.sentence(error))
            return try HTMLPage(renderer.page("edit", page, title: "Edit \(view.content.title)", section: .entries), status: .unprocessableContent)
                .response()
        }
    }

    func act(_ ref: String, action name: String, _ request: Request) async throws -> Response {
        guard let action = WorkflowAction(rawValue: name) else {
            return ErrorPage.response(status: .notFound, heading: "No such action", text: "'\(name)' is not a workflow step.")
        }
        let form = try await decodeForm(ActionForm.self, request, csrf: \.csrf)
        do {
            try store.transition(ref, action, author: options.author, message: form.message?.nonEmpty, expectRevision: form.rev)
            return Self.redirect("/entries/\(try store.header(ref).slug)")
        } catch let error as StoreError {
            return try refusal(ref, error)
        }
    }

    func revert(_ ref: String, _ request: Request) async throws -> Response {
        let form = try await decodeForm(ActionForm.self, request, csrf: \.csrf)
        guard let number = form.number else { throw FormError.unreadable }
        do {
            try store.revert(ref, to: number, author: options.author, message: form.message?.nonEmpty, expectRevision: form.rev)
            return Self.redirect("/entries/\(try store.header(ref).slug)")
        } catch let error as StoreError {
            return try refusal(ref, error)
        }
    }

    /// A workflow step or revert that was not done, and why, in the desk's words.
    func refusal(_ ref: String, _ error: StoreError) throws -> Response {
        let slug = try store.header(ref).slug
        switch error {
        case .staleRevision(_, let expected, let actual):
            let body = try changes(ref, from: expected, to: actual)
            let page = ChangedPage(slug: slug, seen: expected, latest: actual, changes: body)
            return try HTMLPage(renderer.page("changed", page, title: "Changed meanwhile", section: .entries), status: .conflict).response()
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
    func changes(_ ref: String, from: Int, to: Int) throws -> String {
        let pair = try store.revisionPair(ref, from: .number(from), to: .number(to))
        let diff = EntryDiff(entryID: pair.header.id, slug: pair.header.slug, from: pair.old, to: pair.new, old: pair.oldContent, new: pair.newContent)
        var page = DiffPage(diff: diff, title: pair.newContent.title, head: pair.header.head, csrf: csrfToken)
        page.canRevert = false
        return try renderer.fragment("diff", page)
    }

    /// A store refusal said for a person at a browser (the store's own text names CLI flags).
    static func sentence(_ error: StoreError) -> String {
        switch error {
        case .invalidField(let name, let reason): "\(name.replacingOccurrences(of: "_", with: " ")): \(reason)"
        case .unknownEntry: "There is no such entry."
        case .unknownRevision(_, let number): "There is no revision \(number)."
        default: error.description
        }
    }

    // MARK: Pages

    func queue() throws -> HTMLPage {
        let queue = try store.reviewQueue(statuses: [.inReview, .approved])
        let scheduled = try store.list(ListQuery(scheduled: true, sort: .id))
        return HTMLPage(try renderer.page("queue", QueuePage(queue, scheduled: scheduled), title: "Review queue", section: .queue))
    }

    func entries(_ parameters: Parameters) throws -> HTMLPage {
        let kind = parameters.get("kind").flatMap(Kind.init(rawValue:))
        let status = parameters.get("status").flatMap(Status.init(rawValue:))
        let sort = parameters.get("sort").flatMap(ListSort.init(rawValue:)) ?? .updated
        let page = max(1, parameters.get("page").flatMap { Int($0) } ?? 1)
        let query = parameters.get("q")?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty

        var rows: [EntriesPage.Row] = []
        var hasMore = false
        if let query {
            let hits: [SearchHit]
            do {
                hits = try store.search(SearchQuery(query, kind: kind, status: status, limit: Self.pageSize))
            } catch let error as StoreError {
                return HTMLPage(try renderer.page(
                    "message", MessagePage(heading: "Search", text: error.description, back: "/entries"),
                    title: "Search", section: .entries, query: query), status: .badRequest)
            }
            rows = hits.map { hit in
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
            if let kind { items.append(.init(name: "kind", value: kind.rawValue)) }
            if let status { items.append(.init(name: "status", value: status.rawValue)) }
            items.append(.init(name: "sort", value: sort.rawValue))
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
            previous: query == nil && page > 1 ? link(page: page - 1) : nil, next: hasMore ? link(page: page + 1) : nil)
        return HTMLPage(try renderer.page("entries", model, title: model.heading, section: .entries, query: query))
    }

    func entry(_ ref: String) throws -> HTMLPage {
        let latest = try store.entry(ref)
        let live = latest.header.live.map { _ in try? store.entry(ref, at: .live) } ?? nil
        let model = EntryPage(latest: latest, live: live, revisions: try store.revisions(ref), csrf: csrfToken)
        return HTMLPage(try renderer.page("entry", model, title: model.title, section: .entries))
    }

    func diff(_ ref: String, _ parameters: Parameters) throws -> HTMLPage {
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
        let model = DiffPage(diff: diff, title: pair.newContent.title, head: pair.header.head, csrf: csrfToken)
        return HTMLPage(try renderer.page("diff", model, title: "Changes to \(model.title)", section: .entries))
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// An HTML page as a response.
struct HTMLPage: ResponseGenerator {
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
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
