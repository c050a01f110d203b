import Mustache

/// Field lookup for the templates by table instead of reflection. For every `{{name}}` it prints,
/// Mustache otherwise builds a `Mirror` of each object on its context stack and filters all of
/// its fields: on the entry page (87 links and the history rows) that was two thirds of the CPU
/// of a request. A name missing from `templateFields` is not a stored property (the tables are
/// complete: `TemplateFieldsTests` checks each against reflection), so it is answered with nil
/// at once, and Mustache goes on to the enclosing object, as it does after reflecting in vain:
/// a row's `{{#query}}`, say, is the page's.
protocol TemplateFields: MustacheParent {
    /// Each stored property a template may print, by name; optionals are returned unwrapped
    /// (nil when absent), as Mustache's reflection does.
    static var templateFields: [String: @Sendable (Self) -> Any?] { get }
}

/// A field of a page value that holds nothing (nil). Printed as nothing and false in a section,
/// as a missing value is; but unlike one it ends Mustache's search up the context stack: a
/// link without a slug must not be given the slug of the page around it (which made every
/// unresolved link a link to the entry itself).
struct AbsentField: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}

extension TemplateFields {
    func child(named name: String) -> Any? {
        guard let field = Self.templateFields[name] else { return nil }
        return field(self) ?? AbsentField()
    }

    /// Mustache's own rule for a value that is not a `MustacheParent`: the stored property of that
    /// name, an optional unwrapped.
    static func reflectedChild(_ object: Any, named name: String) -> Any? {
        guard let value = Mirror(reflecting: object).children.first(where: { $0.label == name })?.value else { return nil }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

extension EntryPage: TemplateFields {
    static let templateFields: [String: @Sendable (EntryPage) -> Any?] = [
        "slug": { $0.slug }, "title": { $0.title }, "kind": { $0.kind }, "status": { $0.status },
        "statusLabel": { $0.statusLabel }, "revision": { $0.revision }, "live": { $0.live },
        "liveDiffers": { $0.liveDiffers }, "fields": { $0.fields }, "html": { $0.html }, "liveHTML": { $0.liveHTML },
        "related": { $0.related }, "articles": { $0.articles }, "history": { $0.history },
        "hasRelated": { $0.hasRelated }, "hasArticles": { $0.hasArticles }, "upstreamPending": { $0.upstreamPending },
    ]
}

extension EntryFrame: TemplateFields {
    static let templateFields: [String: @Sendable (EntryFrame) -> Any?] = [
        "top": { $0.top }, "rest": { $0.rest }, "slug": { $0.slug }, "revision": { $0.revision }, "csrf": { $0.csrf },
        "canEdit": { $0.canEdit }, "actions": { $0.actions },
    ]
}

extension EntryPage.Field: TemplateFields {
    static let templateFields: [String: @Sendable (EntryPage.Field) -> Any?] = [
        "name": { $0.name }, "value": { $0.value }, "url": { $0.url },
    ]
}

extension EntryPage.Link: TemplateFields {
    static let templateFields: [String: @Sendable (EntryPage.Link) -> Any?] = [
        "title": { $0.title }, "slug": { $0.slug }, "url": { $0.url },
    ]
}

extension EntryPage.HistoryRow: TemplateFields {
    static let templateFields: [String: @Sendable (EntryPage.HistoryRow) -> Any?] = [
        "number": { $0.number }, "createdAt": { $0.createdAt }, "author": { $0.author }, "origin": { $0.origin },
        "status": { $0.status }, "added": { $0.added }, "removed": { $0.removed }, "message": { $0.message },
        "isLive": { $0.isLive }, "isLatest": { $0.isLatest }, "upstream": { $0.upstream },
        "isFrom": { $0.isFrom }, "isTo": { $0.isTo },
    ]
}

extension EntryPage.ActionButton: TemplateFields {
    static let templateFields: [String: @Sendable (EntryPage.ActionButton) -> Any?] = [
        "name": { $0.name }, "label": { $0.label }, "needsMessage": { $0.needsMessage },
    ]
}

extension QueuePage: TemplateFields {
    static let templateFields: [String: @Sendable (QueuePage) -> Any?] = [
        "items": { $0.items }, "hasItems": { $0.hasItems }, "scheduled": { $0.scheduled }, "hasScheduled": { $0.hasScheduled },
        "moreItems": { $0.moreItems }, "moreScheduled": { $0.moreScheduled },
    ]
}

extension QueuePage.Item: TemplateFields {
    static let templateFields: [String: @Sendable (QueuePage.Item) -> Any?] = [
        "slug": { $0.slug }, "title": { $0.title }, "kind": { $0.kind }, "status": { $0.status },
        "statusLabel": { $0.statusLabel }, "submittedBy": { $0.submittedBy }, "submittedAt": { $0.submittedAt },
    ]
}

extension QueuePage.Scheduled: TemplateFields {
    static let templateFields: [String: @Sendable (QueuePage.Scheduled) -> Any?] = [
        "slug": { $0.slug }, "title": { $0.title }, "status": { $0.status }, "statusLabel": { $0.statusLabel },
        "publishAt": { $0.publishAt }, "expireAt": { $0.expireAt },
    ]
}

extension Renderer.Layout: TemplateFields {
    static let templateFields: [String: @Sendable (Renderer.Layout) -> Any?] = [
        "title": { $0.title }, "body": { $0.body }, "query": { $0.query }, "onQueue": { $0.onQueue },
        "onEntries": { $0.onEntries }, "onAccounts": { $0.onAccounts }, "onSettings": { $0.onSettings },
        "signedOut": { $0.signedOut }, "viewer": { $0.viewer },
    ]
}

extension Renderer.LayoutViewer: TemplateFields {
    static let templateFields: [String: @Sendable (Renderer.LayoutViewer) -> Any?] = [
        "name": { $0.name }, "role": { $0.role }, "csrf": { $0.csrf }, "isAdmin": { $0.isAdmin },
    ]
}

extension EntriesPage: TemplateFields {
    static let templateFields: [String: @Sendable (EntriesPage) -> Any?] = [
        "heading": { $0.heading }, "query": { $0.query }, "kinds": { $0.kinds }, "statuses": { $0.statuses },
        "sorts": { $0.sorts }, "rows": { $0.rows }, "dateHeading": { $0.dateHeading }, "page": { $0.page },
        "previous": { $0.previous }, "next": { $0.next }, "hasRows": { $0.hasRows }, "matches": { $0.matches },
    ]
}

extension EntriesPage.Row: TemplateFields {
    static let templateFields: [String: @Sendable (EntriesPage.Row) -> Any?] = [
        "slug": { $0.slug }, "title": { $0.title }, "kind": { $0.kind }, "status": { $0.status },
        "statusLabel": { $0.statusLabel }, "date": { $0.date }, "snippet": { $0.snippet },
    ]
}

extension EntriesPage.Snippet: TemplateFields {
    static let templateFields: [String: @Sendable (EntriesPage.Snippet) -> Any?] = ["parts": { $0.parts }]
}

extension SnippetPart: TemplateFields {
    static let templateFields: [String: @Sendable (SnippetPart) -> Any?] = ["text": { $0.text }, "hit": { $0.hit }]
}

extension Option: TemplateFields {
    static let templateFields: [String: @Sendable (Option) -> Any?] = [
        "value": { $0.value }, "label": { $0.label }, "selected": { $0.selected },
    ]
}

extension DiffPage: TemplateFields {
    static let templateFields: [String: @Sendable (DiffPage) -> Any?] = [
        "slug": { $0.slug }, "title": { $0.title }, "fromNumber": { $0.fromNumber }, "toNumber": { $0.toNumber },
        "fromAuthor": { $0.fromAuthor }, "toAuthor": { $0.toAuthor }, "fromDate": { $0.fromDate }, "toDate": { $0.toDate },
        "fromStatus": { $0.fromStatus }, "toStatus": { $0.toStatus }, "isEmpty": { $0.isEmpty }, "fields": { $0.fields },
        "links": { $0.links }, "hunks": { $0.hunks }, "added": { $0.added }, "removed": { $0.removed },
        "hasFields": { $0.hasFields }, "hasLinks": { $0.hasLinks }, "hasBody": { $0.hasBody }, "csrf": { $0.csrf },
        "head": { $0.head }, "canRevert": { $0.canRevert },
    ]
}

extension DiffPage.Field: TemplateFields {
    static let templateFields: [String: @Sendable (DiffPage.Field) -> Any?] = [
        "name": { $0.name }, "old": { $0.old }, "new": { $0.new },
    ]
}

extension DiffPage.LinkRow: TemplateFields {
    static let templateFields: [String: @Sendable (DiffPage.LinkRow) -> Any?] = [
        "field": { $0.field }, "kind": { $0.kind }, "title": { $0.title }, "detail": { $0.detail },
    ]
}

extension DiffPage.Piece: TemplateFields {
    static let templateFields: [String: @Sendable (DiffPage.Piece) -> Any?] = ["text": { $0.text }, "hl": { $0.hl }]
}

extension DiffPage.BodyRow: TemplateFields {
    static let templateFields: [String: @Sendable (DiffPage.BodyRow) -> Any?] = [
        "kind": { $0.kind }, "oldNumber": { $0.oldNumber }, "newNumber": { $0.newNumber }, "old": { $0.old }, "new": { $0.new },
    ]
}

extension DiffPage.Hunk: TemplateFields {
    static let templateFields: [String: @Sendable (DiffPage.Hunk) -> Any?] = [
        "oldStart": { $0.oldStart }, "newStart": { $0.newStart }, "rows": { $0.rows },
    ]
}
