import Foundation

/// Splits a migration file into its statements, for a driver that runs one at a time.
///
/// A semicolon ends a statement only outside quotes: '…' strings, "…" identifiers,
/// $tag$…$tag$ bodies (functions), -- and /* */ comments. Migrations are this repository's
/// own files, never input; the splitter only has to be right for the SQL written there.
enum SQLScript {
    static func statements(_ sql: String) -> [String] {
        let text = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0
        // Whether the statement has more than comments and blanks (a comment alone is no statement).
        var hasCode = false
        func flush() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode && !statement.isEmpty { statements.append(statement) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        /// Copies through the first `end` found from `index` (included), or to the end.
        func copy(until end: [Unicode.Scalar]) {
            while index < text.count {
                if index + end.count <= text.count && Array(text[index..<index + end.count]) == end {
                    current.append(contentsOf: end)
                    index += end.count
                    return
                }
                current.append(text[index])
                index += 1
            }
        }
        while index < text.count {
            let scalar = text[index]
            let next: Unicode.Scalar? = index + 1 < text.count ? text[index + 1] : nil
            let isComment = (scalar == "-" && next == "-") || (scalar == "/" && next == "*")
            if !isComment && !scalar.properties.isWhitespace && scalar != ";" { hasCode = true }
            switch scalar {
            case "'", "\"":
                current.append(scalar)
                index += 1
                copy(until: [scalar])
            case "-" where next == "-":
                copy(until: ["\n"])
            case "/" where next == "*":
                copy(until: ["*", "/"])
            case "$":
                // $tag$ where tag is letters, digits or _ (possibly empty).
                var end = index + 1
                while end < text.count, text[end].properties.isAlphabetic || ("0"..."9").contains(text[end]) || text[end] == "_" { end += 1 }
                if end < text.count, text[end] == "$" {
                    let tag = Array(text[index...end])
                    current.append(contentsOf: tag)
                    index = end + 1
                    copy(until: tag)
                } else {
                    current.append(scalar)
                    index += 1
                }
            case ";":
                index += 1
                flush()
            default:
                current.append(scalar)
                index += 1
            }
        }
        flush()
        return statements
    }
}
