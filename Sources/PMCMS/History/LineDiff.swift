import Foundation

/// Counts of body lines added and removed between two texts.
public enum LineDiff {
    /// A final newline ends the last line rather than starting an empty one, so that the
    /// counts agree with `diff` (see `TextLines`).
    public static func lines(_ text: String) -> [Substring] {
        TextLines(text).lines
    }

    public static func counts(from old: String, to new: String) -> (added: Int, removed: Int) {
        if old == new { return (0, 0) }
        let difference = lines(new).difference(from: lines(old))
        return (difference.insertions.count, difference.removals.count)
    }
}
