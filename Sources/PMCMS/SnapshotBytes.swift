/// The bytes a revision's content hash covers: every field of the snapshot, each written as a
/// presence byte, a length and its UTF-8, in a fixed order.
///
/// Length prefixes make the encoding unambiguous without escaping anything, and writing it
/// costs a copy of the text: hashing a snapshot must stay cheap, as every revision does it.
/// The layout is part of the store format: changing it changes every hash `verify` checks.
enum SnapshotBytes {
    /// Names the layout, so that a future layout can never produce the same bytes.
    private static let version = Array("pmcms-snapshot-1".utf8)

    static func hashInput(kind: Kind, content: Content) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.body.utf8.count + 96 * (content.related.count + content.articles.count) + 256)
        out.append(contentsOf: version)
        for field in [kind.rawValue, content.status.rawValue, content.title, content.body, content.summary,
                      content.imageURL, content.sourceURL, content.editedAt, content.publishedAt] {
            append(field, to: &out)
        }
        for links in [content.related, content.articles] {
            append(count: links.count, to: &out)
            for link in links {
                append(link.title, to: &out)
                append(link.url, to: &out)
                append(link.slug, to: &out)
            }
        }
        return out
    }

    private static func append(_ text: String?, to out: inout [UInt8]) {
        guard let text else {
            out.append(0)
            return
        }
        out.append(1)
        append(count: text.utf8.count, to: &out)
        out.append(contentsOf: text.utf8)
    }

    private static func append(count: Int, to out: inout [UInt8]) {
        var value = UInt64(count)
        for _ in 0..<8 {
            out.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }
}
