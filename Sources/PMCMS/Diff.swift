import Foundation

/// A field of a revision's snapshot, named as its column (and as `--json` names it).
public enum SnapshotField: String, Sendable, CaseIterable, Encodable {
    case status, title, summary
    case imageURL = "image_url"
    case sourceURL = "source_url"
    case editedAt = "edited_at"
    case publishedAt = "published_at"
    case related, articles, body

    /// The single-valued fields `diff` reports as `field: old → new`, in display order.
    public static let scalars: [SnapshotField] = [.status, .title, .summary, .imageURL, .sourceURL, .editedAt, .publishedAt]

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
        case .related, .articles, .body: nil
        }
    }
}

/// A body split into lines: a final newline ends the last line instead of starting an empty
/// one, so "a\nb\n" and "a\nb" both have two lines and differ only in `endsWithNewline`.
public struct TextLines: Sendable, Hashable {
    public let lines: [Substring]
    public let endsWithNewline: Bool

    public init(_ text: String) {
        guard !text.isEmpty else {
            lines = []
            endsWithNewline = false
            return
        }
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        endsWithNewline = text.hasSuffix("\n")
        if endsWithNewline { parts.removeLast() }
        lines = parts
    }
}

/// What one line of a diff does.
public enum DiffOp: String, Sendable, Hashable, Encodable {
    case context, added, removed

    /// The unified-diff prefix.
    public var marker: String {
        switch self {
        case .context: " "
        case .added: "+"
        case .removed: "-"
        }
    }
}

/// One line of a unified diff, with its 1-based line numbers on the side(s) it belongs to.
public struct DiffLine: Sendable, Hashable {
    public var op: DiffOp
    public var text: String
    public var oldNumber: Int?
    public var newNumber: Int?
}

/// A run of changed lines with up to three lines of context around it.
public struct DiffHunk: Sendable, Hashable {
    public var oldStart: Int
    public var oldCount: Int
    public var newStart: Int
    public var newCount: Int
    public var lines: [DiffLine]

    /// `@@ -1,3 +1,4 @@`, as `diff -u` and git write it: a count of 1 is left out, and an empty
    /// side starts at the line before it.
    public var header: String {
        func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }
        return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@"
    }
}

/// Line diffs computed with the standard library's `CollectionDifference`.
public enum UnifiedDiff {
    /// Every line of both texts in order: kept lines as context, removals before insertions.
    public static func script<Line: Hashable>(old: [Line], new: [Line], text: (Line) -> String) -> [DiffLine] {
        let difference = new.difference(from: old)
        var removed = [Bool](repeating: false, count: old.count)
        var inserted = [Bool](repeating: false, count: new.count)
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed[offset] = true
            case .insert(let offset, _, _): inserted[offset] = true
            }
        }
        var lines: [DiffLine] = []
        lines.reserveCapacity(max(old.count, new.count))
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if i < old.count && removed[i] {
                lines.append(DiffLine(op: .removed, text: text(old[i]), oldNumber: i + 1, newNumber: nil))
                i += 1
            } else if j < new.count && inserted[j] {
                lines.append(DiffLine(op: .added, text: text(new[j]), oldNumber: nil, newNumber: j + 1))
                j += 1
            } else if i < old.count && j < new.count {
                // Neither removed nor inserted: the difference guarantees these are the same line.
                lines.append(DiffLine(op: .context, text: text(new[j]), oldNumber: i + 1, newNumber: j + 1))
                i += 1
                j += 1
            } else {
                break  // unreachable for a consistent difference; never loop forever
            }
        }
        return lines
    }

    /// The hunks of a unified diff of two bodies.
    public static func hunks(old: String, new: String, context: Int = 3) -> [DiffHunk] {
        let a = TextLines(old).lines, b = TextLines(new).lines
        return hunks(script(old: a, new: b, text: String.init), context: context)
    }

    /// Groups a script into hunks; changes closer than twice the context share a hunk.
    public static func hunks(_ script: [DiffLine], context: Int = 3) -> [DiffHunk] {
        let changes = script.indices.filter { script[$0].op != .context }
        guard let first = changes.first else { return [] }
        var ranges: [ClosedRange<Int>] = []
        var start = first, end = first
        for index in changes.dropFirst() {
            if index - end - 1 <= 2 * context {
                end = index
            } else {
                ranges.append(start...end)
                start = index
                end = index
            }
        }
        ranges.append(start...end)

        // Lines of each side consumed before each script position, for the hunk headers.
        var oldBefore = [Int](repeating: 0, count: script.count + 1)
        var newBefore = [Int](repeating: 0, count: script.count + 1)
        for (k, line) in script.enumerated() {
            oldBefore[k + 1] = oldBefore[k] + (line.op == .added ? 0 : 1)
            newBefore[k + 1] = newBefore[k] + (line.op == .removed ? 0 : 1)
        }
        return ranges.map { range in
            let lower = max(0, range.lowerBound - context)
            let upper = min(script.count, range.upperBound + context + 1)
            let oldCount = oldBefore[upper] - oldBefore[lower]
            let newCount = newBefore[upper] - newBefore[lower]
            return DiffHunk(
                oldStart: oldCount == 0 ? oldBefore[lower] : oldBefore[lower] + 1, oldCount: oldCount,
                newStart: newCount == 0 ? newBefore[lower] : newBefore[lower] + 1, newCount: newCount,
                lines: Array(script[lower..<upper]))
        }
    }
}

/// A run of text in a word diff.
public struct WordSegment: Sendable, Hashable {
    public var op: DiffOp
    public var text: String
}

/// Word-level diffs: words and the whitespace between them are compared as tokens, so a
/// changed word shows as `[-old-]{+new+}` inside its line.
public enum WordDiff {
    /// Runs of non-space characters, runs of spaces, and each newline on its own, so that the
    /// line structure survives the diff.
    public static func tokens(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        func kind(_ c: Character) -> Int { c == "\n" ? 0 : (c.isWhitespace ? 1 : 2) }
        while index < text.endIndex {
            let k = kind(text[index])
            var next = text.index(after: index)
            if k != 0 {
                while next < text.endIndex, kind(text[next]) == k { next = text.index(after: next) }
            }
            tokens.append(text[start..<next])
            start = next
            index = next
        }
        return tokens
    }

    /// The segments of a word diff, adjacent tokens of the same kind merged.
    public static func segments(old: String, new: String) -> [WordSegment] {
        let script = UnifiedDiff.script(old: tokens(old), new: tokens(new), text: String.init)
        var segments: [WordSegment] = []
        for token in script {
            if let last = segments.last, last.op == token.op {
                segments[segments.count - 1].text += token.text
            } else {
                segments.append(WordSegment(op: token.op, text: token.text))
            }
        }
        return segments
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
