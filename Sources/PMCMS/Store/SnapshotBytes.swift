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
        // The schedule (migration 0008) enters the bytes only when one is set, so that every
        // revision without one (all those written before) keeps the bytes, and the hash, it had.
        // The links' count prefixes end the layout above unambiguously, so a section after them
        // can never make two different snapshots hash alike.
        if !content.schedule.isEmpty {
            out.append(contentsOf: scheduleMarker)
            append(content.schedule.publishAt, to: &out)
            append(content.schedule.expireAt, to: &out)
            append(content.schedule.pinnedRevision.map(String.init), to: &out)
        }
        return out
    }

    /// Opens the schedule section of a snapshot.
    private static let scheduleMarker = Array("pmcms-schedule-1".utf8)

    /// Names the layout of a whole revision (scheme 2): its metadata, then its snapshot.
    private static let revisionVersion = Array("pmcms-revision-2".utf8)

    /// The bytes a revision's hash covers (scheme 2): every column but its id, so that a
    /// rewritten author, time, message or origin is found as surely as a rewritten body.
    static func revisionHashInput(kind: Kind, content: Content, metadata: RevisionMetadata) -> [UInt8] {
        var out = revisionVersion
        append(count: Int(metadata.entryID), to: &out)
        append(count: metadata.number, to: &out)
        append(metadata.parent.map(String.init), to: &out)
        for field in [metadata.origin, metadata.author, metadata.createdAt, metadata.message] {
            append(field, to: &out)
        }
        for count in [metadata.upstream ? 1 : 0, metadata.linesAdded, metadata.linesRemoved] {
            append(count: count, to: &out)
        }
        out += hashInput(kind: kind, content: content)
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

/// A revision's columns besides its snapshot, as its scheme-2 hash covers them. Public for
/// tools that write revisions directly in bulk (the benchmark's and tests' store generators).
public struct RevisionMetadata: Sendable, Equatable {
    public var entryID: Int64
    public var number: Int
    public var parent: Int?
    public var origin: String
    public var author: String
    public var createdAt: String
    public var message: String?
    public var upstream: Bool
    public var linesAdded: Int
    public var linesRemoved: Int

    public init(entryID: Int64, number: Int, parent: Int?, origin: String, author: String, createdAt: String,
                message: String?, upstream: Bool, linesAdded: Int, linesRemoved: Int) {
        self.entryID = entryID
        self.number = number
        self.parent = parent
        self.origin = origin
        self.author = author
        self.createdAt = createdAt
        self.message = message
        self.upstream = upstream
        self.linesAdded = linesAdded
        self.linesRemoved = linesRemoved
    }
}
