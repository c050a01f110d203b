import Foundation
import PMCMS

/// The `diff --json` object: both revisions, field and link changes, the body hunks, a stat, and
/// in word mode the body as word segments.
struct DiffJSON: Encodable {
    let diff: EntryDiff
    let words: Bool
    let statOnly: Bool

    init(_ diff: EntryDiff, words: Bool = false, statOnly: Bool = false) {
        self.diff = diff
        self.words = words
        self.statOnly = statOnly
    }

    enum Keys: String, CodingKey {
        case entryID = "entry_id", slug, from, to, changed, fields, links, body, stat
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(diff.entryID, forKey: .entryID)
        try c.encode(diff.slug, forKey: .slug)
        try c.encode(diff.from, forKey: .from)
        try c.encode(diff.to, forKey: .to)
        try c.encode(!diff.isEmpty, forKey: .changed)
        try c.encode(StatJSON(stat: DiffStat(diff)), forKey: .stat)
        if statOnly { return }
        try c.encode(diff.fields.map(FieldJSON.init), forKey: .fields)
        try c.encode(diff.links.map(LinkJSON.init), forKey: .links)
        try c.encode(BodyJSON(diff: diff, words: words), forKey: .body)
    }

    struct FieldJSON: Encodable {
        let change: FieldChange
        enum Keys: String, CodingKey { case field, old, new }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(change.field, forKey: .field)
            try c.encode(change.old, forKey: .old)
            try c.encode(change.new, forKey: .new)
        }
    }

    struct LinkJSON: Encodable {
        let change: LinkChange
        enum Keys: String, CodingKey {
            case field, change, title, url, slug
            case oldTitle = "old_title", oldPosition = "old_position", newPosition = "new_position"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(change.field, forKey: .field)
            try c.encode(change.kind, forKey: .change)
            try c.encode(change.link.title, forKey: .title)
            try c.encode(change.link.url, forKey: .url)
            try c.encode(change.link.slug, forKey: .slug)
            try c.encode(change.oldTitle, forKey: .oldTitle)
            try c.encode(change.oldPosition, forKey: .oldPosition)
            try c.encode(change.newPosition, forKey: .newPosition)
        }
    }

    struct BodyJSON: Encodable {
        let diff: EntryDiff
        let words: Bool
        enum Keys: String, CodingKey {
            case changed, hunks, words
            case linesAdded = "lines_added", linesRemoved = "lines_removed"
            case oldEndsWithNewline = "old_ends_with_newline", newEndsWithNewline = "new_ends_with_newline"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let body = diff.body
            try c.encode(body.changed, forKey: .changed)
            try c.encode(body.linesAdded, forKey: .linesAdded)
            try c.encode(body.linesRemoved, forKey: .linesRemoved)
            try c.encode(body.oldEndsWithNewline, forKey: .oldEndsWithNewline)
            try c.encode(body.newEndsWithNewline, forKey: .newEndsWithNewline)
            try c.encode(body.hunks.map(HunkJSON.init), forKey: .hunks)
            let segments = words && body.changed ? WordDiff.segments(old: diff.oldBody, new: diff.newBody) : nil
            try c.encode(segments?.map(SegmentJSON.init), forKey: .words)
        }
    }

    struct HunkJSON: Encodable {
        let hunk: DiffHunk
        enum Keys: String, CodingKey {
            case header, lines
            case oldStart = "old_start", oldCount = "old_count", newStart = "new_start", newCount = "new_count"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(hunk.header, forKey: .header)
            try c.encode(hunk.oldStart, forKey: .oldStart)
            try c.encode(hunk.oldCount, forKey: .oldCount)
            try c.encode(hunk.newStart, forKey: .newStart)
            try c.encode(hunk.newCount, forKey: .newCount)
            try c.encode(hunk.lines.map(LineJSON.init), forKey: .lines)
        }
    }

    struct LineJSON: Encodable {
        let line: DiffLine
        enum Keys: String, CodingKey { case op, text, oldLine = "old_line", newLine = "new_line" }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(line.op, forKey: .op)
            try c.encode(line.text, forKey: .text)
            try c.encode(line.oldNumber, forKey: .oldLine)
            try c.encode(line.newNumber, forKey: .newLine)
        }
    }

    struct SegmentJSON: Encodable {
        let segment: WordSegment
        enum Keys: String, CodingKey { case op, text }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(segment.op, forKey: .op)
            try c.encode(segment.text, forKey: .text)
        }
    }

    struct StatJSON: Encodable {
        let stat: DiffStat
        enum Keys: String, CodingKey {
            case fields
            case linksAdded = "links_added", linksRemoved = "links_removed", linksMoved = "links_moved"
            case linksRetitled = "links_retitled", linesAdded = "lines_added", linesRemoved = "lines_removed"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(stat.fields, forKey: .fields)
            try c.encode(stat.linksAdded, forKey: .linksAdded)
            try c.encode(stat.linksRemoved, forKey: .linksRemoved)
            try c.encode(stat.linksMoved, forKey: .linksMoved)
            try c.encode(stat.linksRetitled, forKey: .linksRetitled)
            try c.encode(stat.linesAdded, forKey: .linesAdded)
            try c.encode(stat.linesRemoved, forKey: .linesRemoved)
        }
    }
}

/// The `blame --json` object: the entry, the blamed revision, each body line and each field.
struct BlameJSON: Encodable {
    let blame: Blame

    init(_ blame: Blame) { self.blame = blame }

    enum Keys: String, CodingKey { case entryID = "entry_id", slug, revision, lines, fields }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(blame.header.id, forKey: .entryID)
        try c.encode(blame.header.slug, forKey: .slug)
        try c.encode(blame.revision, forKey: .revision)
        try c.encode(blame.lines.map(LineJSON.init), forKey: .lines)
        try c.encode(blame.fields.map(FieldJSON.init), forKey: .fields)
    }

    struct LineJSON: Encodable {
        let line: BlameLine
        enum Keys: String, CodingKey { case line, text }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(line.number, forKey: .line)
            try c.encode(line.text, forKey: .text)
            try AttributionJSON(line.by).encode(to: encoder)
        }
    }

    struct FieldJSON: Encodable {
        let blame: FieldBlame
        enum Keys: String, CodingKey { case field, value }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(blame.field, forKey: .field)
            // The body is already there line by line, and links are easier for tools as a list.
            switch blame.field {
            case .body:
                try c.encodeNil(forKey: .value)
            case .related, .articles:
                let links = blame.value.flatMap { try? JSONDecoder().decode([LinkRef].self, from: Data($0.utf8)) } ?? []
                let values: [[String: String?]] = links.map { ["title": $0.title, "url": $0.url, "slug": $0.slug] }
                try c.encode(values, forKey: .value)
            default:
                try c.encode(blame.value, forKey: .value)
            }
            try AttributionJSON(blame.by).encode(to: encoder)
        }
    }
}

/// The revision a blamed line or field comes from, as keys beside the line's or field's own.
struct AttributionJSON: Encodable {
    let attribution: Attribution

    init(_ attribution: Attribution) { self.attribution = attribution }

    enum Keys: String, CodingKey { case revision, author, createdAt = "created_at", origin, message }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(attribution.revision, forKey: .revision)
        try c.encode(attribution.author, forKey: .author)
        try c.encode(attribution.createdAt, forKey: .createdAt)
        try c.encode(attribution.origin, forKey: .origin)
        try c.encode(attribution.message, forKey: .message)
    }
}
