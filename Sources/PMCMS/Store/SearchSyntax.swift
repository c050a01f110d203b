public import Foundation  // LocalizedError conformance

/// Turns what a person types into an FTS5 query. Only deliberate syntax is syntax: "quoted
/// phrases", a trailing `*` for a prefix, and `AND`, `OR`, `NOT` in capitals between terms.
/// Everything else is searched as the words it contains, so `non-IT`, `what's` and `c++`
/// search for those words (as a phrase) instead of being read as FTS5 column filters or
/// operators.
public enum SearchSyntax {
    /// The longest query accepted, in characters, and the most terms: a longer one costs
    /// seconds to minutes of ranking without finding anything better.
    public static let maxCharacters = 1_000
    public static let maxTerms = 64

    /// Why a query cannot be searched, said in plain words.
    public struct QueryError: Error, Equatable, CustomStringConvertible, LocalizedError {
        public let description: String
        public var errorDescription: String? { description }
    }

    /// The FTS5 MATCH expression for `text`.
    public static func fts(_ text: String) throws -> String {
        guard text.count <= maxCharacters else {
            throw QueryError(description: "the query is \(text.count) characters long; the limit is \(maxCharacters): search for a few distinctive words")
        }
        var parts: [String] = []
        var terms = 0
        var previousWasOperator = true  // nothing before the first term
        for token in tokens(text) {
            switch token {
            case .operator(let word):
                if previousWasOperator {
                    throw QueryError(description: parts.isEmpty
                        ? "'\(word)' needs words before it, as in `agile \(word) scrum` (to search for the word itself, write \"\(word.lowercased())\")"
                        : "'\(word)' cannot follow another operator: put words between them")
                }
                parts.append(word)
                previousWasOperator = true
            case .phrase(let words, let prefix):
                guard words.contains(where: { $0.isLetter || $0.isNumber }) else { continue }
                terms += 1
                parts.append("\"\(words.replacingOccurrences(of: "\"", with: "\"\""))\"" + (prefix ? "*" : ""))
                previousWasOperator = false
            }
        }
        if terms == 0 { throw QueryError(description: "the query has no words to search for: give letters or digits") }
        if previousWasOperator, let last = parts.last {
            throw QueryError(description: "'\(last)' needs words after it, as in `agile \(last) scrum`")
        }
        if terms > maxTerms {
            throw QueryError(description: "the query has \(terms) terms; the limit is \(maxTerms): search for a few distinctive words")
        }
        return parts.joined(separator: " ")
    }

    enum Token: Equatable {
        case phrase(String, prefix: Bool)
        case `operator`(String)
    }

    /// Splits on whitespace outside quotes; an unclosed quote runs to the end.
    static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        func flush() {
            defer { current = ""; wasQuoted = false }
            if current.isEmpty && !wasQuoted { return }
            if !wasQuoted, ["AND", "OR", "NOT"].contains(current) {
                result.append(.operator(current))
            } else if !wasQuoted, current.count > 1, current.hasSuffix("*") {
                result.append(.phrase(String(current.dropLast()), prefix: true))
            } else {
                result.append(.phrase(current, prefix: false))
            }
        }
        for character in text {
            if character == "\"" {
                if quoted {
                    quoted = false
                    wasQuoted = true
                    flush()
                } else {
                    flush()
                    quoted = true
                }
            } else if character.isWhitespace && !quoted {
                flush()
            } else {
                current.append(character)
            }
        }
        if quoted { wasQuoted = true }
        flush()
        return result
    }
}
