import Foundation

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
        var parts: [Substring]
        if !text.utf8.contains(0x0D) {
            // Without a CR every LF is a Character of its own (grapheme clusters always break
            // after LF), so splitting the bytes gives the same lines as splitting Characters,
            // without the cost of finding grapheme boundaries in every body of every revision.
            parts = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
        } else {
            parts = text.split(separator: "\n", omittingEmptySubsequences: false)  // "\r\n" is one Character
        }
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
