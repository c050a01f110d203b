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

    /// A query as read from what a person typed: its phrases and the operators between them,
    /// checked (words to search for, no operator at either end or next to another, within the
    /// limits). Every backend's search starts from this one reading: FTS5's MATCH expression
    /// (`fts`) on SQLite, a tsquery on PostgreSQL.
    public struct Query: Sendable, Equatable {
        /// One part of a query, in the order typed.
        public enum Part: Sendable, Equatable {
            /// Words to find in this order, as typed (one word is a phrase of one); with
            /// `prefix`, the last word may be the start of a longer one.
            case phrase(String, prefix: Bool)
            /// An operator between two phrases (or groups of them).
            case `operator`(Operator)
        }

        /// The operators, spelled as typed. As in FTS5, adjacent phrases are an implicit AND that
        /// binds tightest, then NOT (binary: "a NOT b" is a and not b), then AND, then OR, each
        /// grouping from the left.
        public enum Operator: String, Sendable, Equatable {
            case and = "AND", or = "OR", not = "NOT"
        }

        /// Phrases and operators, never an operator first, last or after another.
        public let parts: [Part]
    }

    /// Reads `text` as a query, or says why it cannot be searched.
    public static func parse(_ text: String) throws -> Query {
        guard text.count <= maxCharacters else {
            throw QueryError(description: "the query is \(text.count) characters long; the limit is \(maxCharacters): search for a few distinctive words")
        }
        var parts: [Query.Part] = []
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
                // tokens(_:) makes operators of these three words only.
                guard let op = Query.Operator(rawValue: word) else { continue }
                parts.append(.operator(op))
                previousWasOperator = true
            case .phrase(let words, let prefix):
                guard words.contains(where: { $0.isLetter || $0.isNumber }) else { continue }
                terms += 1
                parts.append(.phrase(words, prefix: prefix))
                previousWasOperator = false
            }
        }
        if terms == 0 { throw QueryError(description: "the query has no words to search for: give letters or digits") }
        if previousWasOperator, case .operator(let last)? = parts.last {
            throw QueryError(description: "'\(last.rawValue)' needs words after it, as in `agile \(last.rawValue) scrum`")
        }
        if terms > maxTerms {
            throw QueryError(description: "the query has \(terms) terms; the limit is \(maxTerms): search for a few distinctive words")
        }
        return Query(parts: parts)
    }

    /// The FTS5 MATCH expression for `text`.
    public static func fts(_ text: String) throws -> String {
        fts(try parse(text))
    }

    /// The FTS5 MATCH expression for a parsed query: each phrase quoted (its quotes doubled),
    /// so that nothing in it is FTS5 syntax.
    public static func fts(_ query: Query) -> String {
        query.parts.map { part in
            switch part {
            case .operator(let op):
                return op.rawValue
            case .phrase(let words, let prefix):
                return "\"\(words.replacingOccurrences(of: "\"", with: "\"\""))\"" + (prefix ? "*" : "")
            }
        }.joined(separator: " ")
    }

    /// What a person typed, trimmed and parsed, or the store's error saying why it cannot be
    /// searched (`invalidField` on `query`), as every backend's search reports it.
    package static func storeQuery(_ typed: String) throws -> Query {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw StoreError.invalidField(name: "query", reason: "it is empty") }
        do {
            return try parse(text)
        } catch let error as QueryError {
            throw StoreError.invalidField(name: "query", reason: error.description)
        }
    }

    /// The store's error for a query the database refused anyway (not expected: the query it is
    /// given holds only quoted phrases and operators), with the database's own words.
    package static func unsearchable(_ typed: String, detail: String) -> StoreError {
        let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        return StoreError.invalidField(
            name: "query",
            reason: "'\(text)' could not be searched (\(detail)). Use words, \"a phrase\", prefix*, AND, OR, NOT")
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
