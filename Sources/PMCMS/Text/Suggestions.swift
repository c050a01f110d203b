import Foundation

/// "Did you mean": the known names closest to a mistyped one.
public enum Suggestions {
    /// The names within a small edit distance of `word` (a third of its length, at least 1,
    /// at most 3), closest first; a name that starts with `word` counts as close.
    public static func closest(to word: String, in names: [String], limit: Int = 3) -> [String] {
        let target = Array(word.lowercased())
        let allowed = min(3, max(1, target.count / 3))
        var scored: [(name: String, distance: Int)] = []
        for name in names {
            let candidate = Array(name.lowercased())
            if abs(candidate.count - target.count) > allowed {
                if target.count >= 3 && candidate.starts(with: target) { scored.append((name, allowed)) }
                continue
            }
            let distance = editDistance(target, candidate)
            if distance <= allowed { scored.append((name, distance)) }
        }
        return scored.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(limit).map(\.name)
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

extension ContentStore {
    /// The slugs closest to `ref`, for an error about an entry that does not exist.
    public func slugsClose(to ref: String, limit: Int = 3) throws -> [String] {
        let slugs: [String] = try read { db in try db.fetchValues("SELECT slug FROM entry") }
        return Suggestions.closest(to: ref, in: slugs, limit: limit)
    }
}
