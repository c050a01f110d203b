import Foundation

/// What an entry is: a question (title = the question, body = the answer) or an article card.
public enum Kind: String, Codable, Sendable, CaseIterable {
    case question, article
}

/// Where an entry stands in the editorial workflow.
public enum Status: String, Codable, Sendable, CaseIterable {
    case draft, inReview = "in_review", approved, published, archived
}

/// What made a revision.
public enum Origin: String, Codable, Sendable, CaseIterable {
    case `import`, edit, workflow, revert
}

/// An ordered link from one entry to another, kept by URL and/or slug so that it can point at
/// a page that has not been imported yet and resolve when that page arrives.
public struct LinkRef: Hashable, Codable, Sendable {
    public var title: String
    public var url: String?
    public var slug: String?

    public init(title: String, url: String? = nil, slug: String? = nil) {
        self.title = title
        self.url = url
        self.slug = slug
    }
}

/// The editable content of an entry: everything a revision snapshots besides its metadata.
public struct Content: Hashable, Codable, Sendable {
    public var status: Status
    public var title: String
    public var body: String
    public var summary: String?
    public var imageURL: String?
    public var sourceURL: String?
    public var editedAt: String?
    public var publishedAt: String?
    public var related: [LinkRef]
    public var articles: [LinkRef]
    /// The schedule, workflow state like `status`: see `Schedule`.
    public var schedule: Schedule

    public init(
        status: Status = .draft, title: String, body: String = "", summary: String? = nil,
        imageURL: String? = nil, sourceURL: String? = nil, editedAt: String? = nil,
        publishedAt: String? = nil, related: [LinkRef] = [], articles: [LinkRef] = [],
        schedule: Schedule = Schedule()
    ) {
        self.status = status
        self.title = title
        self.body = body
        self.summary = summary
        self.imageURL = imageURL
        self.sourceURL = sourceURL
        self.editedAt = editedAt
        self.publishedAt = publishedAt
        self.related = related
        self.articles = articles
        self.schedule = schedule
    }

    /// The canonical form the store keeps: a body without trailing blank lines, so that an
    /// editor adding or dropping the final newline is not a change, safe for any Markdown
    /// renderer (`SafeMarkdown`: raw HTML escaped, script links dropped), and `edited_at` in
    /// UTC. Every path that saves content (import, new, edit, revert) goes through here.
    public func normalized() -> Content {
        var copy = self
        copy.body = SafeMarkdown.sanitize(copy.body)
        if let editedAt, let canonical = Timestamp.canonical(editedAt) { copy.editedAt = canonical }
        while let last = copy.body.last, last == "\n" || last == "\r" || last == " " || last == "\t" {
            copy.body.removeLast()
        }
        // Quotes and markup in URLs are stored percent-encoded (`URLCheck.encoded`).
        copy.imageURL = imageURL.map(URLCheck.encoded)
        copy.sourceURL = sourceURL.map(URLCheck.encoded)
        for index in copy.related.indices { copy.related[index].url = copy.related[index].url.map(URLCheck.encoded) }
        for index in copy.articles.indices { copy.articles[index].url = copy.articles[index].url.map(URLCheck.encoded) }
        return copy
    }

    /// Whether the reader-facing text differs, which is what moves `edited_at`.
    public func textDiffers(from other: Content) -> Bool {
        title != other.title || body != other.body || summary != other.summary
    }
}

/// One revision's metadata; the snapshot itself is a `Content`.
public struct RevisionInfo: Hashable, Sendable {
    public var entryID: Int64
    public var slug: String
    public var number: Int
    public var parent: Int?
    public var origin: Origin
    public var status: Status
    public var author: String
    public var createdAt: String
    public var message: String?
    public var hash: String
    public var upstream: Bool
    public var live: Bool
    public var linesAdded: Int
    public var linesRemoved: Int
    /// The revision's schedule (migration 0008), so that history and log show it.
    public var publishAt: String? = nil
    public var expireAt: String? = nil
}

/// An entry's identity and pointers, independent of which revision is being looked at.
public struct EntryHeader: Hashable, Sendable {
    public var id: Int64
    public var slug: String
    public var kind: Kind
    public var head: Int
    public var live: Int?
    public var createdAt: String
    public var updatedAt: String
}

/// A link as a reader sees it: the stored reference plus what the target entry says of itself.
public struct ResolvedLink: Hashable, Sendable {
    public var title: String
    public var url: String?
    public var slug: String?
    public var summary: String?
    public var imageURL: String?
}

/// An entry at one revision, with links resolved: what `show`, `list` and the exports print.
public struct EntryView: Sendable {
    public var header: EntryHeader
    public var revision: Int
    public var content: Content
    public var related: [ResolvedLink]
    public var articles: [ResolvedLink]

    public var id: Int64 { header.id }
    public var slug: String { header.slug }
    public var kind: Kind { header.kind }
}
