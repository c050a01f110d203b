import Foundation

// The store's SQL, written once for both backends (issue 19): a query is a value whose
// interpolated values become bound parameters, rendered as `?` for SQLite and `$1…` for
// PostgreSQL; a session runs it on one backend and hands back rows read by column name. The
// few statements that must differ between the two say so in one place each, with `either`.

/// A value bound to a statement or read from a row.
package enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// The SQL dialect a session speaks.
package enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

/// A Swift value that binds as one statement parameter.
package protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension Int64: SQLBindable { package var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLBindable { package var sqlValue: SQLValue { .integer(Int64(self)) } }
extension String: SQLBindable { package var sqlValue: SQLValue { .text(self) } }
extension Double: SQLBindable { package var sqlValue: SQLValue { .real(self) } }
extension Bool: SQLBindable { package var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    package var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// A Swift value read from one column of a row.
package protocol SQLColumnValue {
    /// The value, or nil when `value` is not of this type.
    static func decode(_ value: SQLValue) -> Self?
}

extension Int64: SQLColumnValue {
    package static func decode(_ value: SQLValue) -> Int64? {
        if case .integer(let number) = value { return number }
        return nil
    }
}

extension Int: SQLColumnValue {
    package static func decode(_ value: SQLValue) -> Int? {
        if case .integer(let number) = value { return Int(exactly: number) }
        return nil
    }
}

extension String: SQLColumnValue {
    package static func decode(_ value: SQLValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }
}

extension Double: SQLColumnValue {
    package static func decode(_ value: SQLValue) -> Double? {
        switch value {
        case .real(let number): number
        case .integer(let number): Double(number)
        default: nil
        }
    }
}

extension Bool: SQLColumnValue {
    package static func decode(_ value: SQLValue) -> Bool? {
        if case .integer(let number) = value { return number != 0 }
        return nil
    }
}

extension Optional: SQLColumnValue where Wrapped: SQLColumnValue {
    package static func decode(_ value: SQLValue) -> Wrapped?? {
        if case .null = value { return .some(nil) }
        return Wrapped.decode(value).map { .some($0) }
    }
}

/// A statement with its parameters, built by string interpolation: `"… WHERE id = \(id)"`
/// binds `id`; `\(sql: text)` inserts the program's own SQL text (never content); `\(literal:)`
/// inserts another query with its parameters.
package struct SQLQuery: Sendable, ExpressibleByStringInterpolation {
    enum Part: Sendable {
        case text(String)
        case value(SQLValue)
        case either(sqlite: SQLQuery, postgres: SQLQuery)
    }

    var parts: [Part]

    init(parts: [Part]) { self.parts = parts }

    package init(stringLiteral value: String) { parts = [.text(value)] }

    package init(stringInterpolation: StringInterpolation) { parts = stringInterpolation.parts }

    /// SQL that differs between the backends: each statement that needs it says so here.
    package static func either(sqlite: SQLQuery, postgres: SQLQuery) -> SQLQuery {
        SQLQuery(parts: [.either(sqlite: sqlite, postgres: postgres)])
    }

    package struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        package init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        package mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { parts.append(.text(literal)) }
        }

        /// A bound parameter.
        package mutating func appendInterpolation(_ value: some SQLBindable) {
            parts.append(.value(value.sqlValue))
        }

        /// A bound parameter that may be NULL (spelled out so that the compiler does not take an
        /// optional here for text interpolation).
        package mutating func appendInterpolation<Value: SQLBindable>(_ value: Value?) {
            parts.append(.value(value?.sqlValue ?? .null))
        }

        /// The program's own SQL text (a column list, an ORDER BY): never content.
        package mutating func appendInterpolation(sql: String) {
            parts.append(.text(sql))
        }

        /// Another query, with its parameters.
        package mutating func appendInterpolation(literal: SQLQuery) {
            parts.append(contentsOf: literal.parts)
        }
    }

    /// For an INSERT into `table`, whose `id` is its integer key: the id column and its value
    /// (`prefix` and `value`, each followed by a comma), so that ids are given as SQLite gives
    /// them, one more than the largest. PostgreSQL's identity sequences are not transactional:
    /// a dry run or a transaction run again would leave gaps, and the same commands would
    /// number entries differently on the two backends. Two writers taking the same id collide
    /// on the primary key and one is run again.
    package static func nextID(_ table: String) -> (column: SQLQuery, value: SQLQuery) {
        (.either(sqlite: "", postgres: "id, "),
         .either(sqlite: "", postgres: "(SELECT COALESCE(MAX(id), 0) + 1 FROM \(sql: table)), "))
    }

    /// `(?, ?, …)`: a parenthesised list of bound values, for `IN`.
    package static func list<Value: SQLBindable>(_ values: [Value]) -> SQLQuery {
        "(" + values.map { value -> SQLQuery in "\(value)" }.joined(separator: ", ") + ")"
    }

    package static func + (lhs: SQLQuery, rhs: SQLQuery) -> SQLQuery { SQLQuery(parts: lhs.parts + rhs.parts) }

    package static func += (lhs: inout SQLQuery, rhs: SQLQuery) { lhs.parts += rhs.parts }

    /// The statement's text for `dialect` and its parameters in order.
    package func rendered(for dialect: SQLDialect) -> (sql: String, values: [SQLValue]) {
        var sql = ""
        var values: [SQLValue] = []
        func render(_ parts: [Part]) {
            for part in parts {
                switch part {
                case .text(let text): sql += text
                case .value(let value):
                    values.append(value)
                    sql += dialect == .sqlite ? "?" : "$\(values.count)"
                case .either(let sqlite, let postgres): render(dialect == .sqlite ? sqlite.parts : postgres.parts)
                }
            }
        }
        render(parts)
        return (sql, values)
    }
}

extension Array where Element == SQLQuery {
    /// The queries one after the other with `separator` (SQL text) between them.
    package func joined(separator: String) -> SQLQuery {
        var result = SQLQuery(parts: [])
        for (index, query) in enumerated() {
            if index > 0 { result.parts.append(.text(separator)) }
            result.parts += query.parts
        }
        return result
    }
}

/// The names of a result's columns, shared by its rows.
package final class SQLColumns: Sendable {
    package let names: [String]
    let index: [String: Int]

    package init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        // The first of two columns with one name wins, as in SQLite's and GRDB's rows.
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        self.index = index
    }
}

/// One row of a result, read by column name.
package struct SQLRow {
    enum Storage {
        case values(SQLColumns, [SQLValue])
        case sqlite(SQLiteRow)
    }

    let storage: Storage

    package init(columns: SQLColumns, values: [SQLValue]) { storage = .values(columns, values) }

    init(sqlite row: SQLiteRow) { storage = .sqlite(row) }

    /// The raw value of `column` (NULL when the row has no such column).
    package func value(_ column: String) -> SQLValue {
        switch storage {
        case .values(let columns, let values):
            guard let position = columns.index[column] else { return .null }
            return values[position]
        case .sqlite(let row):
            return row.value(column)
        }
    }

    /// The value of the first column.
    package var first: SQLValue {
        switch storage {
        case .values(_, let values): values.first ?? .null
        case .sqlite(let row): row.value(at: 0)
        }
    }

    /// The value of `column` as `T`; a value of another type (which the store never writes) is
    /// an error that names the column, never a crash.
    package subscript<T: SQLColumnValue>(_ column: String) -> T {
        get throws {
            let value = value(column)
            guard let decoded = T.decode(value) else {
                throw StoreError.unknownStoredValue(type: "column \(column)", value: String(describing: value))
            }
            return decoded
        }
    }
}

/// One transaction on one backend, as the store's queries see it.
package protocol StoreSession {
    var dialect: SQLDialect { get }
    /// Every row `query` gives.
    func fetchAll(_ query: SQLQuery) throws -> [SQLRow]
    /// The first row `query` gives, if any.
    func fetchOne(_ query: SQLQuery) throws -> SQLRow?
    /// Visits the rows of `query` one at a time, so that memory stays flat however many there
    /// are. A row is valid only during its call.
    func forEach(_ query: SQLQuery, _ visit: (SQLRow) throws -> Void) throws
    /// Runs a statement that returns no rows; returns how many rows it changed.
    @discardableResult
    func execute(_ query: SQLQuery) throws -> Int
    /// Runs `body` inside a savepoint: when it throws, what it wrote is rolled back (the rest
    /// of the transaction stays) and the error rethrown.
    func savepoint<T>(_ body: () throws -> T) throws -> T
    /// Whether `error`, thrown inside a savepoint, must end the whole transaction rather than
    /// only the savepoint's work: the store itself is in trouble (busy, full, failing disk, a
    /// broken connection) or, on PostgreSQL, the transaction lost a race and is run again.
    func mustAbort(_ error: any Error) -> Bool
}

extension StoreSession {
    /// `body` inside a savepoint when `wanted`, else as it is (its writes then stand or fall
    /// with the whole transaction).
    package func savepoint<T>(if wanted: Bool, _ body: () throws -> T) throws -> T {
        wanted ? try savepoint(body) : try body()
    }

    /// The first column of the first row as `T`, nil when there is no row (or it is NULL).
    package func fetchValue<T: SQLColumnValue>(_ query: SQLQuery) throws -> T? {
        guard let row = try fetchOne(query) else { return nil }
        let value = row.first
        if case .null = value { return nil }
        guard let decoded = T.decode(value) else {
            throw StoreError.unknownStoredValue(type: "value", value: String(describing: value))
        }
        return decoded
    }

    /// The first column of every row as `T` (a NULL is an error).
    package func fetchValues<T: SQLColumnValue>(_ query: SQLQuery) throws -> [T] {
        try fetchAll(query).map { row in
            let value = row.first
            guard let decoded = T.decode(value) else {
                throw StoreError.unknownStoredValue(type: "value", value: String(describing: value))
            }
            return decoded
        }
    }
}

/// A backend other than the SQLite file the core opens itself: the PostgreSQL store, which the
/// `PostgresStore` module provides so that the core never depends on a PostgreSQL driver.
package protocol StoreBackend: Sendable {
    /// What to call the store in messages (an address without its password).
    var location: String { get }
    /// Runs `body` on one consistent snapshot.
    func read<T>(_ body: (any StoreSession) throws -> T) throws -> T
    /// Runs `body` in one transaction, committed when it returns (rolled back instead with
    /// `rollback`, for a dry run); a transaction that lost a race with another writer is run
    /// again from the start (as SQLite's writers wait).
    func write<T>(rollback: Bool, _ body: (any StoreSession) throws -> T) throws -> T
    /// Full-text search with the backend's own index, as `ContentStore.search` (the same query
    /// syntax, values and paging).
    func search(_ query: SearchQuery) throws -> [SearchHit]
    /// A search's ranking, as `ContentStore.searchRanking`.
    func searchRanking(_ query: SearchQuery, limit: Int) throws -> SearchRanking
    /// A page of a ranking's hits, as `ContentStore.searchHits`.
    func searchHits(_ query: SearchQuery, _ items: ArraySlice<SearchRanking.Item>) throws -> [SearchHit]
}
