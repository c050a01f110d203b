import Foundation

/// A field of a revision's snapshot, named as its column (and as the JSON shapes name it).
public enum SnapshotField: String, Sendable, CaseIterable, Encodable {
    case status, title, summary
    case imageURL = "image_url"
    case sourceURL = "source_url"
    case editedAt = "edited_at"
    case publishedAt = "published_at"
    case related, articles, body
    case publishAt = "publish_at"
    case expireAt = "expire_at"

    /// The single-valued fields `diff` reports as `field: old → new`, in display order.
    public static let scalars: [SnapshotField] = [.status, .title, .summary, .imageURL, .sourceURL, .editedAt, .publishedAt, .publishAt, .expireAt]

    /// The value of a single-valued field in `content`; nil for links and the body, which are
    /// compared on their own terms.
    public func scalar(in content: Content) -> String? {
        switch self {
        case .status: content.status.rawValue
        case .title: content.title
        case .summary: content.summary
        case .imageURL: content.imageURL
        case .sourceURL: content.sourceURL
        case .editedAt: content.editedAt
        case .publishedAt: content.publishedAt
        case .publishAt: content.schedule.publishAt
        case .expireAt: content.schedule.expireAt
        case .related, .articles, .body: nil
        }
    }
}

/// A single-valued field that differs between two revisions.
public struct FieldChange: Sendable, Hashable {
    public var field: SnapshotField
    public var old: String?
    public var new: String?
}

/// What happened to one link between two revisions.
public enum LinkChangeKind: String, Sendable, Hashable, Encodable {
    case added, removed, moved, retitled
}

/// One link added, removed, moved or retitled in `related` or `articles`.
public struct LinkChange: Sendable, Hashable {
    public var field: SnapshotField
    public var kind: LinkChangeKind
    public var link: LinkRef
    /// The title the link had before, for `retitled`.
    public var oldTitle: String?
    /// 1-based positions in the old and new lists (nil on the side the link is absent from).
    public var oldPosition: Int?
    public var newPosition: Int?
}

/// The body part of a diff.
public struct BodyDiff: Sendable, Hashable {
    public var hunks: [DiffHunk]
    public var linesAdded: Int
    public var linesRemoved: Int
    public var oldEndsWithNewline: Bool
    public var newEndsWithNewline: Bool

    /// Whether the texts differ at all, a final newline included.
    public var changed: Bool { !hunks.isEmpty || oldEndsWithNewline != newEndsWithNewline }
}

/// Every difference between two revisions of one entry: fields, links and body.
public struct EntryDiff: Sendable {
    public var entryID: Int64
    public var slug: String
    public var from: RevisionInfo
    public var to: RevisionInfo
    public var fields: [FieldChange]
    public var links: [LinkChange]
    public var body: BodyDiff
    /// Kept for the word mode, which diffs the changed lines word by word.
    public var oldBody: String
    public var newBody: String

    public var isEmpty: Bool { fields.isEmpty && links.isEmpty && !body.changed }

    /// Compares `old` (revision `from`) with `new` (revision `to`); either may be the older.
    public init(entryID: Int64, slug: String, from: RevisionInfo, to: RevisionInfo, old: Content, new: Content) {
        self.entryID = entryID
        self.slug = slug
        self.from = from
        self.to = to
        fields = SnapshotField.scalars.compactMap { field in
            let a = field.scalar(in: old), b = field.scalar(in: new)
            return a == b ? nil : FieldChange(field: field, old: a, new: b)
        }
        links = Self.linkChanges(.related, old: old.related, new: new.related)
            + Self.linkChanges(.articles, old: old.articles, new: new.articles)
        let a = TextLines(old.body), b = TextLines(new.body)
        let script = old.body == new.body ? [] : UnifiedDiff.script(old: a.lines, new: b.lines, text: String.init)
        body = BodyDiff(
            hunks: UnifiedDiff.hunks(script), linesAdded: script.filter { $0.op == .added }.count,
            linesRemoved: script.filter { $0.op == .removed }.count,
            oldEndsWithNewline: a.endsWithNewline, newEndsWithNewline: b.endsWithNewline)
        oldBody = old.body
        newBody = new.body
    }

    /// A link is the same link across revisions when it points at the same entry (slug), else
    /// the same URL; its title may change without that being a new link.
    static func identity(_ link: LinkRef) -> String {
        if let slug = link.slug { return "slug:" + slug }
        if let url = link.url { return "url:" + url }
        return "title:" + link.title
    }

    static func linkChanges(_ field: SnapshotField, old: [LinkRef], new: [LinkRef]) -> [LinkChange] {
        if old == new { return [] }
        let oldKeys = old.map(identity), newKeys = new.map(identity)
        var removed: [LinkChange] = [], added: [LinkChange] = [], moved: [LinkChange] = []
        var movedFrom: Set<Int> = []
        for change in newKeys.difference(from: oldKeys).inferringMoves() {
            switch change {
            case .remove(let offset, _, let associated):
                if let to = associated {
                    movedFrom.insert(offset)
                    moved.append(LinkChange(field: field, kind: .moved, link: new[to], oldTitle: nil, oldPosition: offset + 1, newPosition: to + 1))
                } else {
                    removed.append(LinkChange(field: field, kind: .removed, link: old[offset], oldTitle: nil, oldPosition: offset + 1, newPosition: nil))
                }
            case .insert(let offset, _, let associated):
                if associated == nil {
                    added.append(LinkChange(field: field, kind: .added, link: new[offset], oldTitle: nil, oldPosition: nil, newPosition: offset + 1))
                }
            }
        }
        var retitled: [LinkChange] = []
        var oldTitles: [String: (title: String, position: Int)] = [:]
        for (i, key) in oldKeys.enumerated() where oldTitles[key] == nil { oldTitles[key] = (old[i].title, i + 1) }
        var seen: Set<String> = []
        for (j, link) in new.enumerated() {
            let key = newKeys[j]
            guard seen.insert(key).inserted, let before = oldTitles[key], before.title != link.title else { continue }
            retitled.append(LinkChange(field: field, kind: .retitled, link: link, oldTitle: before.title, oldPosition: before.position, newPosition: j + 1))
        }
        return removed + added + moved.sorted { ($0.newPosition ?? 0) < ($1.newPosition ?? 0) } + retitled
    }
}

/// A summary of a diff: which fields changed, how many links, how many body lines.
public struct DiffStat: Sendable, Hashable {
    public var fields: [SnapshotField]
    public var linksAdded: Int
    public var linksRemoved: Int
    public var linksMoved: Int
    public var linksRetitled: Int
    public var linesAdded: Int
    public var linesRemoved: Int

    public init(_ diff: EntryDiff) {
        fields = diff.fields.map(\.field)
        linksAdded = diff.links.filter { $0.kind == .added }.count
        linksRemoved = diff.links.filter { $0.kind == .removed }.count
        linksMoved = diff.links.filter { $0.kind == .moved }.count
        linksRetitled = diff.links.filter { $0.kind == .retitled }.count
        linesAdded = diff.body.linesAdded
        linesRemoved = diff.body.linesRemoved
    }
}
