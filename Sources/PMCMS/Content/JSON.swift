public import Foundation  // JSONEncoder in the public API

/// The JSON shapes of the public interface ("The entry object" in the product brief).
public enum JSONOutput {
    /// An encoder for the public JSON: sorted keys (a stable order on every platform), slashes
    /// unescaped.
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes `value` as UTF-8 text.
    public static func string<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
        let text = String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
        guard pretty, text.contains("\n\n") else { return text }
        // Foundation's pretty printer spreads an empty array or object over three lines
        // ("[\n\n  ]"); written `[]` and `{}` here, as jq and Python write them. A raw newline
        // in JSON is only ever layout (one inside a string is escaped), so no content is touched.
        return text.replacingOccurrences(of: #"([\[{])\n\n *([\]}])"#, with: "$1$2", options: .regularExpression)
    }
}

extension EntryView: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, slug, kind, status, revision
        case liveRevision = "live_revision"
        case title, body
        case bodyHTML = "body_html"
        case summary
        case imageURL = "image_url"
        case sourceURL = "source_url"
        case editedAt = "edited_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case publishedAt = "published_at"
        case related, articles
        case publishAt = "publish_at"
        case expireAt = "expire_at"
    }

    /// Every key is written, absent values as `null`; the schedule's keys (`publish_at`,
    /// `expire_at`) only when set, so that entries without a schedule keep their shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(header.id, forKey: .id)
        try c.encode(header.slug, forKey: .slug)
        try c.encode(header.kind, forKey: .kind)
        try c.encode(content.status, forKey: .status)
        try c.encode(revision, forKey: .revision)
        try c.encode(header.live, forKey: .liveRevision)
        try c.encode(content.title, forKey: .title)
        try c.encode(content.body, forKey: .body)
        try c.encode(Markdown.html(content.body), forKey: .bodyHTML)
        try c.encode(content.summary, forKey: .summary)
        try c.encode(content.imageURL, forKey: .imageURL)
        try c.encode(content.sourceURL, forKey: .sourceURL)
        try c.encode(content.editedAt, forKey: .editedAt)
        try c.encode(header.createdAt, forKey: .createdAt)
        try c.encode(header.updatedAt, forKey: .updatedAt)
        try c.encode(content.publishedAt, forKey: .publishedAt)
        try c.encodeIfPresent(content.schedule.publishAt, forKey: .publishAt)
        try c.encodeIfPresent(content.schedule.expireAt, forKey: .expireAt)
        try c.encode(related.map { RelatedJSON(link: $0) }, forKey: .related)
        try c.encode(articles.map { ArticleJSON(link: $0) }, forKey: .articles)
    }

    private struct RelatedJSON: Encodable {
        let link: ResolvedLink
        enum CodingKeys: String, CodingKey { case title, url, slug }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(link.title, forKey: .title)
            try c.encode(link.url, forKey: .url)
            try c.encode(link.slug, forKey: .slug)
        }
    }

    private struct ArticleJSON: Encodable {
        let link: ResolvedLink
        enum CodingKeys: String, CodingKey {
            case title, url, slug, summary
            case imageURL = "image_url"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(link.title, forKey: .title)
            try c.encode(link.url, forKey: .url)
            try c.encode(link.slug, forKey: .slug)
            try c.encode(link.summary, forKey: .summary)
            try c.encode(link.imageURL, forKey: .imageURL)
        }
    }
}

extension RevisionInfo: Encodable {
    enum CodingKeys: String, CodingKey {
        case entryID = "entry_id"
        case slug, number, parent, origin, status, author
        case createdAt = "created_at"
        case message, hash
        case linesAdded = "lines_added"
        case linesRemoved = "lines_removed"
        case live, upstream
        case publishAt = "publish_at"
        case expireAt = "expire_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entryID, forKey: .entryID)
        try c.encode(slug, forKey: .slug)
        try c.encode(number, forKey: .number)
        try c.encode(parent, forKey: .parent)
        try c.encode(origin, forKey: .origin)
        try c.encode(status, forKey: .status)
        try c.encode(author, forKey: .author)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(message, forKey: .message)
        try c.encode(hash, forKey: .hash)
        try c.encode(linesAdded, forKey: .linesAdded)
        try c.encode(linesRemoved, forKey: .linesRemoved)
        try c.encode(live, forKey: .live)
        try c.encode(upstream, forKey: .upstream)
        // Only on revisions that carry a schedule, so that other revisions keep their shape.
        try c.encodeIfPresent(publishAt, forKey: .publishAt)
        try c.encodeIfPresent(expireAt, forKey: .expireAt)
    }
}
