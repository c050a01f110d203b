import Mustache

/// Field lookup for the templates by table instead of reflection. For every `{{name}}` it prints,
/// Mustache otherwise builds a `Mirror` of each object on its context stack and filters all of
/// its fields: on the entry page (87 links and the history rows) that was two thirds of the CPU
/// of a request. A name missing from `templateFields` still falls back to the same reflection,
/// so an incomplete table is slower, never wrong; `TemplateFieldsTests` checks the tables are
/// complete.
protocol TemplateFields: MustacheParent {
    /// Each stored property a template may print, by name; optionals are returned unwrapped
    /// (nil when absent), as Mustache's reflection does.
    static var templateFields: [String: @Sendable (Self) -> Any?] { get }
}

extension TemplateFields {
    func child(named name: String) -> Any? {
        if let field = Self.templateFields[name] { return field(self) }
        return Self.reflectedChild(self, named: name)
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
        "hasRelated": { $0.hasRelated }, "hasArticles": { $0.hasArticles }, "csrf": { $0.csrf },
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
