import Foundation
import PMCMS

// The values each page template renders, made from the core's values. Templates see only
// these: plain strings, numbers, booleans and lists, escaped by Mustache when printed; the one
// exception is an entry's body HTML, rendered by cmark-gfm in safe mode (`Markdown.html`).

/// One status or kind as a filter option.
struct Option {
    var value: String
    var label: String
    var selected: Bool
}

/// How a status reads on a page.
func statusLabel(_ status: Status) -> String {
    switch status {
    case .draft: "draft"
    case .inReview: "in review"
    case .approved: "approved"
    case .published: "published"
    case .archived: "archived"
    }
}

/// The review queue: what is in review or approved, oldest first.
struct QueuePage {
    struct Item {
        var slug: String
        var title: String
        var kind: String
        var status: String
        var statusLabel: String
        var submittedBy: String
        var submittedAt: String
    }

    /// An entry with a schedule: when it goes live and when it leaves the site.
    struct Scheduled {
        var slug: String
        var title: String
        var status: String
        var statusLabel: String
        var publishAt: String
        var expireAt: String
    }

    var items: [Item]
    // Stored, not computed: Mustache reads a value's stored properties only.
    var hasItems: Bool
    var scheduled: [Scheduled]
    var hasScheduled: Bool
    /// More wait than the page shows (`pageSize`): the page links to the filtered entries list.
    var moreItems: Bool
    var moreScheduled: Bool

    /// `queue` as the store orders it, oldest first; `scheduled`, the entries with a schedule;
    /// each cut to `pageSize`, noting when there were more.
    init(_ queue: [ReviewItem], scheduled entries: [EntryView] = [], pageSize: Int = .max) {
        moreItems = queue.count > pageSize
        moreScheduled = entries.count > pageSize
        items = queue.prefix(pageSize).map { item in
            Item(
                slug: item.entry.slug, title: item.entry.content.title, kind: item.entry.kind.rawValue,
                status: item.entry.content.status.rawValue, statusLabel: statusLabel(item.entry.content.status),
                submittedBy: item.submittedBy, submittedAt: item.submittedAt)
        }
        hasItems = !items.isEmpty
        scheduled = entries.prefix(pageSize).map { entry in
            Scheduled(
                slug: entry.slug, title: entry.content.title, status: entry.content.status.rawValue,
                statusLabel: statusLabel(entry.content.status), publishAt: entry.content.schedule.publishAt ?? "",
                expireAt: entry.content.schedule.expireAt ?? "")
        }
        hasScheduled = !scheduled.isEmpty
    }
}

/// A piece of a search snippet, highlighted when it is a match.
struct SnippetPart {
    var text: String
    var hit: Bool

    /// Splits FTS5's snippet at the store's match markers.
    static func parts(_ snippet: String) -> [SnippetPart] {
        var parts: [SnippetPart] = []
        var rest = Substring(snippet)
        while let open = rest.range(of: SearchHit.markOpen) {
            if open.lowerBound > rest.startIndex { parts.append(SnippetPart(text: String(rest[..<open.lowerBound]), hit: false)) }
            rest = rest[open.upperBound...]
            let close = rest.range(of: SearchHit.markClose) ?? (rest.endIndex..<rest.endIndex)
            parts.append(SnippetPart(text: String(rest[..<close.lowerBound]), hit: true))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(SnippetPart(text: String(rest), hit: false)) }
        return parts
    }
}

/// The entries list, or search results when there is a query.
struct EntriesPage {
    struct Row {
        var slug: String
        var title: String
        var kind: String
        var status: String
        var statusLabel: String
        var date: String
        var snippet: Snippet?
    }

    struct Snippet {
        var parts: [SnippetPart]
    }

    var heading: String
    var query: String?
    var kinds: [Option]
    var statuses: [Option]
    var sorts: [Option]
    var rows: [Row]
    var dateHeading: String
    var page: Int
    var previous: String?
    var next: String?
    var hasRows: Bool
    /// For a search: how many entries match ("more than 1,000 matches" past the count's cap).
    var matches: String?

    init(heading: String, query: String?, kinds: [Option], statuses: [Option], sorts: [Option], rows: [Row], dateHeading: String,
         page: Int, previous: String?, next: String?, matches: String? = nil) {
        self.heading = heading
        self.query = query
        self.kinds = kinds
        self.statuses = statuses
        self.sorts = sorts
        self.rows = rows
        self.dateHeading = dateHeading
        self.page = page
        self.previous = previous
        self.next = next
        self.matches = matches
        hasRows = !rows.isEmpty
    }
}

/// One entry: latest revision, the live one when they differ, fields, links and history: the
/// parts of the entry page that are the same for every viewer (`entry_top`, `entry_rest`), so
/// that they can be rendered once and kept (`EntryPageCache`). Nothing here may depend on who
/// is looking: the buttons and the form token are `EntryFrame`'s.
struct EntryPage {
    struct Field {
        var name: String
        var value: String
        var url: String?
    }

    struct Link {
        var title: String
        var slug: String?
        var url: String?
    }

    struct HistoryRow {
        var number: Int
        var createdAt: String
        var author: String
        var origin: String
        var status: String
        var added: Int
        var removed: Int
        var message: String
        var isLive: Bool
        var isLatest: Bool
        var upstream: Bool
        var isFrom: Bool
        var isTo: Bool
    }

    var slug: String
    var title: String
    var kind: String
    var status: String
    var statusLabel: String
    var revision: Int
    var live: Int?
    var liveDiffers: Bool
    /// An import that changed the page after an edit: the newest upstream revision past the
    /// head, kept aside until someone takes it in (`pmcms check` reports it as an error).
    var upstreamPending: Int?
    var fields: [Field]
    var html: String
    var liveHTML: String
    var related: [Link]
    var articles: [Link]
    var history: [HistoryRow]
    var hasRelated: Bool
    var hasArticles: Bool

    /// A workflow step the entry can take now.
    struct ActionButton {
        var name: String
        var label: String
        var needsMessage: Bool
    }

    /// The workflow steps an entry in `status` can take that `offers` allows (the person's role,
    /// and not approving their own change).
    static func actions(from status: Status, offers: (WorkflowAction) -> Bool) -> [ActionButton] {
        WorkflowAction.allCases.filter { Workflow.allows($0, from: status) && offers($0) }.map { action in
            ActionButton(name: action.rawValue, label: action.rawValue.prefix(1).uppercased() + action.rawValue.dropFirst(), needsMessage: action.requiresMessage)
        }
    }

    /// `live` is read only when it differs from `latest`: its body is rendered beside the latest.
    init(latest: EntryView, live: EntryView?, revisions: [RevisionInfo]) {
        let c = latest.content
        slug = latest.slug
        title = c.title
        kind = latest.kind.rawValue
        status = c.status.rawValue
        statusLabel = Web.statusLabel(c.status)
        revision = latest.revision
        self.live = latest.header.live
        liveDiffers = live.map { $0.revision != latest.revision } ?? false
        upstreamPending = revisions.last { $0.upstream && $0.number > latest.revision }?.number
        var fields: [Field] = []
        func add(_ name: String, _ value: String?, link: Bool = false) {
            guard let value, !value.isEmpty else { return }
            // Only web addresses become links: a stored value is never trusted as a URL scheme.
            let url = link && (value.hasPrefix("https://") || value.hasPrefix("http://")) ? value : nil
            fields.append(Field(name: name, value: value, url: url))
        }
        add("status", statusLabel)
        add("summary", c.summary)
        add("image", c.imageURL, link: true)
        add("source", c.sourceURL, link: true)
        add("edited", c.editedAt)
        add("published", c.publishedAt)
        add("goes live", c.schedule.publishAt)  // a schedule (`pmcms schedule`), when there is one
        add("leaves the site", c.schedule.expireAt)
        add("created", latest.header.createdAt)
        add("updated", latest.header.updatedAt)
        self.fields = fields
        html = Markdown.html(c.body)
        liveHTML = liveDiffers ? live.map { Markdown.html($0.content.body) } ?? "" : ""
        related = latest.related.map { Link(title: $0.title, slug: $0.slug, url: $0.url) }
        articles = latest.articles.map { Link(title: $0.title, slug: $0.slug, url: $0.url) }
        hasRelated = !related.isEmpty
        hasArticles = !articles.isEmpty
        // Preselected pair: live against latest when they differ, else the latest against its parent.
        let to = latest.revision
        let from = liveDiffers ? (latest.header.live ?? to) : (revisions.last(where: { $0.number == to })?.parent ?? to)
        history = revisions.reversed().map { r in
            HistoryRow(
                number: r.number, createdAt: r.createdAt, author: r.author, origin: r.origin.rawValue, status: r.status.rawValue,
                added: r.linesAdded, removed: r.linesRemoved, message: r.message ?? "", isLive: r.live,
                isLatest: r.number == latest.header.head, upstream: r.upstream, isFrom: r.number == from, isTo: r.number == to)
        }
    }
}

/// The entry page as one person sees it: the parts every viewer shares, rendered (`EntryPage`
/// through `entry_top` and `entry_rest`), around this person's buttons, each form carrying
/// their session's token and the revision they saw.
struct EntryFrame {
    var top: String
    var rest: String
    var slug: String
    var revision: Int
    var csrf: String
    var canEdit: Bool
    var actions: [EntryPage.ActionButton]
}

/// Two revisions side by side: fields, links, and the body with word-level highlights.
struct DiffPage {
    /// A changed field, with the words that differ marked on each side.
    struct Field {
        var name: String
        var old: [Piece]?
        var new: [Piece]?
    }

    struct LinkRow {
        var field: String
        var kind: String
        var title: String
        var detail: String?
    }

    struct Piece {
        var text: String
        var hl: Bool
    }

    /// One row of the side-by-side body: a line on either side (or both), or a gap.
    struct BodyRow {
        var kind: String
        var oldNumber: String
        var newNumber: String
        var old: [Piece]
        var new: [Piece]
    }

    struct Hunk {
        var oldStart: Int
        var newStart: Int
        var rows: [BodyRow]
    }

    var slug: String
    var title: String
    var fromNumber: Int
    var toNumber: Int
    var fromAuthor: String
    var toAuthor: String
    var fromDate: String
    var toDate: String
    var fromStatus: String
    var toStatus: String
    var isEmpty: Bool
    var fields: [Field]
    var links: [LinkRow]
    var hunks: [Hunk]
    var added: Int
    var removed: Int
    var hasFields: Bool
    var hasLinks: Bool
    var hasBody: Bool
    var csrf: String
    /// The entry's head, which a revert must still find.
    var head: Int
    var canRevert: Bool

    init(diff: EntryDiff, title: String, head: Int, csrf: String) {
        self.csrf = csrf
        self.head = head
        canRevert = diff.from.number != head && !diff.isEmpty
        slug = diff.slug
        self.title = title
        fromNumber = diff.from.number
        toNumber = diff.to.number
        fromAuthor = diff.from.author
        toAuthor = diff.to.author
        fromDate = diff.from.createdAt
        toDate = diff.to.createdAt
        fromStatus = diff.from.status.rawValue
        toStatus = diff.to.status.rawValue
        isEmpty = diff.isEmpty
        fields = diff.fields.map { change in
            guard let old = change.old, let new = change.new else {
                return Field(name: change.field.rawValue, old: change.old.map { [Piece(text: $0, hl: true)] }, new: change.new.map { [Piece(text: $0, hl: true)] })
            }
            let (oldPieces, newPieces) = Self.wordPieces(old: old, new: new)
            return Field(name: change.field.rawValue, old: oldPieces, new: newPieces)
        }
        links = diff.links.map { change in
            var detail: String?
            switch change.kind {
            case .moved: detail = "position \(change.oldPosition ?? 0) → \(change.newPosition ?? 0)"
            case .retitled: detail = "was “\(change.oldTitle ?? "")”"
            case .added, .removed: detail = change.link.slug == nil ? change.link.url : nil
            }
            return LinkRow(field: change.field.rawValue, kind: change.kind.rawValue, title: change.link.title, detail: detail)
        }
        hunks = diff.body.hunks.map(Self.sideBySide)
        added = diff.body.linesAdded
        removed = diff.body.linesRemoved
        hasFields = !fields.isEmpty
        hasLinks = !links.isEmpty
        hasBody = !hunks.isEmpty
    }

    /// Both sides of a changed text, with the words only one side has marked.
    static func wordPieces(old: String, new: String) -> (old: [Piece], new: [Piece]) {
        var oldPieces: [Piece] = [], newPieces: [Piece] = []
        for segment in WordDiff.segments(old: old, new: new) {
            switch segment.op {
            case .context:
                oldPieces.append(Piece(text: segment.text, hl: false))
                newPieces.append(Piece(text: segment.text, hl: false))
            case .removed: oldPieces.append(Piece(text: segment.text, hl: true))
            case .added: newPieces.append(Piece(text: segment.text, hl: true))
            }
        }
        return (oldPieces, newPieces)
    }

    /// Pairs each run of removed lines with the run of added lines after it, row by row, and
    /// highlights the words that differ inside each pair; unpaired lines stand alone.
    static func sideBySide(_ hunk: DiffHunk) -> Hunk {
        var rows: [BodyRow] = []
        var removed: [DiffLine] = []
        var added: [DiffLine] = []
        func plain(_ text: String) -> [Piece] { [Piece(text: text, hl: false)] }
        func flush() {
            for i in 0..<max(removed.count, added.count) {
                let old = i < removed.count ? removed[i] : nil
                let new = i < added.count ? added[i] : nil
                var oldPieces: [Piece] = [], newPieces: [Piece] = []
                if let old, let new {
                    (oldPieces, newPieces) = wordPieces(old: old.text, new: new.text)
                } else {
                    oldPieces = old.map { plain($0.text) } ?? []
                    newPieces = new.map { plain($0.text) } ?? []
                }
                rows.append(BodyRow(
                    kind: old != nil && new != nil ? "changed" : (old != nil ? "removed" : "added"),
                    oldNumber: old?.oldNumber.map(String.init) ?? "", newNumber: new?.newNumber.map(String.init) ?? "",
                    old: oldPieces, new: newPieces))
            }
            removed = []
            added = []
        }
        for line in hunk.lines {
            switch line.op {
            case .removed:
                if !added.isEmpty { flush() }
                removed.append(line)
            case .added:
                added.append(line)
            case .context:
                flush()
                rows.append(BodyRow(
                    kind: "context", oldNumber: line.oldNumber.map(String.init) ?? "", newNumber: line.newNumber.map(String.init) ?? "",
                    old: plain(line.text), new: plain(line.text)))
            }
        }
        flush()
        return Hunk(oldStart: hunk.oldStart, newStart: hunk.newStart, rows: rows)
    }
}

/// A page that only says something: not found, bad request, login needed.
struct MessagePage {
    var heading: String
    var text: String
    var back: String?
}

/// The edit form, filled with the entry's text or with what the person typed.
struct EditPage {
    var slug: String
    var heading: String
    var kind: String
    var csrf: String
    var rev: Int
    var title: String
    var summary: String
    var imageURL: String
    var sourceURL: String
    var editedAt: String
    var body: String
    /// The links, a ref a line (`LinkRef.editingRef`, as `pmcms edit` lists them).
    var related: String
    var articles: String
    var message: String
    var error: String?
    /// When the entry moved on meanwhile: the diff of what changed, rendered.
    var changes: String?
    var seen: Int?
    var latest: Int?

    init(view: EntryView, csrf: String) {
        let c = view.content
        slug = view.slug
        heading = c.title
        kind = view.kind.rawValue
        self.csrf = csrf
        rev = view.revision
        title = c.title
        summary = c.summary ?? ""
        imageURL = c.imageURL ?? ""
        sourceURL = c.sourceURL ?? ""
        editedAt = c.editedAt ?? ""
        body = c.body
        related = view.related.map(\.editingRef).joined(separator: "\n")
        articles = view.articles.map(\.editingRef).joined(separator: "\n")
        message = ""
    }

    /// Fields both people changed, each its own way, when the entry moved on while this form
    /// was open: the form holds this person's version, the diff above it the other's.
    var bothChanged: String?

    /// After the entry moved on while the form was open: each field this person left as it
    /// was in `base` (the revision they started from) takes its value in `theirs` (the
    /// current one), so that saving again does not silently undo the other person's change to
    /// a field this person never touched. What they typed stays as typed; a field both changed
    /// keeps theirs out of the form (it is in the diff) and is named in `bothChanged`.
    /// Field by field, as `Merge3.value` decides for `pmcms edit --recover`; a body is one value
    /// here, never merged line by line, so the form holds no conflict markers.
    mutating func keepChanges(since base: EditPage, theirs: EditPage) {
        var both: [String] = []
        func merge(_ name: String, _ field: WritableKeyPath<EditPage, String>) {
            func normal(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
            switch Merge3.value(base: normal(base[keyPath: field]), ours: normal(self[keyPath: field]), theirs: normal(theirs[keyPath: field])) {
            case .merged(let value) where value == normal(theirs[keyPath: field]):
                self[keyPath: field] = theirs[keyPath: field]
            case .merged:
                break  // typed, and theirs left it alone: as typed
            case .conflict:
                both.append(name)
            }
        }
        merge("title", \.title)
        merge("summary", \.summary)
        merge("image URL", \.imageURL)
        merge("source URL", \.sourceURL)
        merge("edited at", \.editedAt)
        merge("related questions", \.related)
        merge("article cards", \.articles)
        merge("body", \.body)
        bothChanged = both.isEmpty ? nil : both.joined(separator: ", ")
    }

    /// The form again with exactly what was typed.
    init(view: EntryView, typed form: EditForm, csrf: String, rev: Int, error: String?) {
        self.init(view: view, csrf: csrf)
        self.rev = rev
        title = form.title
        summary = form.summary ?? ""
        imageURL = form.image_url ?? ""
        sourceURL = form.source_url ?? ""
        editedAt = form.edited_at ?? ""
        body = form.body ?? ""
        related = form.related ?? related
        articles = form.articles ?? articles
        message = form.message ?? ""
        self.error = error
    }
}

/// A workflow step refused because the entry moved on: what changed, and the way back.
struct ChangedPage {
    var slug: String
    var seen: Int
    var latest: Int
    var changes: String
}

/// The login form of a desk with accounts; the name comes back after a failed try.
struct LoginPage {
    var name: String
    var csrf: String
    var error: String?
}

/// The admin's page: the accounts, a form to add one, and the review setting.
struct AccountsPage {
    struct Row {
        var name: String
        var role: String
        var createdAt: String
        var isYou: Bool
        var csrf: String
    }

    var accounts: [Row]
    var roles: [Option]
    var csrf: String
    var selfApprove: Bool
    var name: String
    var error: String?

    init(accounts: [Account], viewer: String, csrf: String, selfApprove: Bool, typedName: String = "", typedRole: Role = .writer, error: String? = nil) {
        self.accounts = accounts.map { Row(name: $0.name, role: $0.role.rawValue, createdAt: $0.createdAt, isYou: $0.name.lowercased() == viewer.lowercased(), csrf: csrf) }
        roles = Role.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == typedRole) }
        self.csrf = csrf
        self.selfApprove = selfApprove
        name = typedName
        self.error = error
    }
}

/// The admin's settings form: every setting with what it is for, its stored value, and an input
/// holding that value, or, after a refusal, what was typed (with why, next to the field).
struct SettingsPage {
    struct Row {
        var key: String
        /// The key as an HTML id (no dots, which CSS selectors would read as classes).
        var id: String
        var help: String
        var current: String?
        /// What the input holds: the stored value, or what was typed.
        var value: String
        /// The value the page showed when it was loaded: a field left as it was is not written.
        var seen: String
        var clear: Bool
        var error: String?
    }

    var rows: [Row]
    var csrf: String
    var saved: Bool
    /// Why nothing was saved (not `error`: a row's nil error would let Mustache find this one).
    var summary: String?

    /// The form filled with the stored `values`.
    init(values: [SettingKey: String], csrf: String, saved: Bool = false) {
        rows = SettingKey.allCases.map { key in
            Row(key: key.rawValue, id: "setting-" + key.rawValue.replacingOccurrences(of: ".", with: "-"), help: key.help,
                current: values[key], value: values[key] ?? "", seen: values[key] ?? "", clear: false, error: nil)
        }
        self.csrf = csrf
        self.saved = saved
    }

    /// The form again with exactly what was typed, and each refused field's reason.
    init(values: [SettingKey: String], typed form: SettingsForm, problems: [SettingKey: String], csrf: String) {
        self.init(values: values, csrf: csrf)
        for index in rows.indices {
            let key = rows[index].key
            rows[index].value = form.value?[key] ?? ""
            rows[index].seen = form.seen?[key] ?? ""
            rows[index].clear = form.clear?[key] != nil
            rows[index].error = SettingKey(rawValue: key).flatMap { problems[$0] }
        }
        summary = problems.isEmpty ? nil : "Nothing was saved: \(problems.count == 1 ? "one value needs" : "\(problems.count) values need") fixing."
    }
}
