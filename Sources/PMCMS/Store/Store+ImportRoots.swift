import Foundation

extension ContentStore {
    /// The site roots recorded for `baseURL` by earlier imports: absolute paths, links resolved.
    public func importRoots(baseURL: String) throws -> [String] {
        try read { db in
            // Byte order on both backends, as SQLite's BINARY collation.
            let byRoot: SQLQuery = .either(sqlite: "root", postgres: "root COLLATE \"C\"")
            return try db.fetchValues("SELECT root FROM import_root WHERE base_url = \(baseURL) ORDER BY \(literal: byRoot)")
        }
    }

    /// Records `roots` as site roots of `baseURL` (those recorded already stay); called inside
    /// the import's write transaction.
    static func recordImportRoots(_ db: any StoreSession, baseURL: String, roots: [String], now: String) throws {
        for root in roots {
            try db.execute("INSERT INTO import_root (base_url, root, recorded_at) VALUES (\(baseURL), \(root), \(now)) ON CONFLICT DO NOTHING")
        }
    }
}

/// A page identified only by where it was found (no canonical URL or `og:url`) would replace an
/// entry holding an entirely different page: most likely two pages met at one path, so nothing
/// is written and the file is reported.
public struct ImportCollision: Error, Equatable, CustomStringConvertible {
    public var key: String
    public var slug: String
    public var existingTitle: String
    public var incomingTitle: String

    public var description: String {
        "collision: this page names no canonical URL, and its identity \(key) already belongs to '\(slug)' "
            + "(\"\(existingTitle)\"), a different page (\"\(incomingTitle)\": other title, other text); nothing was written. "
            + "Give the page a <link rel=\"canonical\">, or import it from the site root it was first imported from (see README, Importing)"
    }
}

/// Whether two versions of a page are the same page at all, for the collision check.
enum PageLikeness {
    /// Two versions are entirely different when their titles differ and their texts share
    /// almost no two-word sequence (under a fifth of the smaller text's): a revised page keeps
    /// most of its sentences, two unrelated pages on one topic share words but rarely phrases.
    static func entirelyDifferent(title a: String, body bodyA: String, title b: String, body bodyB: String) -> Bool {
        if normalizedTitle(a) == normalizedTitle(b) { return false }
        let left = pairs(bodyA), right = pairs(bodyB)
        // No text on one side (an entry made from another page's article card, whose own page
        // arrives now under a longer title): nothing would be lost, and a title alone is no proof.
        guard let smaller = [left.count, right.count].min(), smaller > 0 else { return false }
        return left.intersection(right).count * 5 < smaller
    }

    private static func normalizedTitle(_ title: String) -> String {
        title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }

    private static func pairs(_ text: String) -> Set<String> {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        guard words.count >= 2 else { return Set(words.map(String.init)) }
        var out = Set<String>()
        for index in 1..<words.count { out.insert(words[index - 1] + " " + words[index]) }
        return out
    }
}
