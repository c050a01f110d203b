import Foundation
import GRDB

/// A GRDB row as the core reads it (`SQLRow`): values are converted as they are read, so a
/// SQLite query costs what it did when the core read GRDB's rows directly.
struct SQLiteRow {
    let row: Row

    func value(_ column: String) -> SQLValue {
        // Nil when the row has no such column.
        let found: (any DatabaseValueConvertible)? = row[column]
        return Self.value(found?.databaseValue ?? .null)
    }

    func value(at index: Int) -> SQLValue {
        guard index < row.count else { return .null }
        let value: DatabaseValue = row[index]
        return Self.value(value)
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number): return .integer(number)
        case .double(let number): return .real(number)
        case .string(let text): return .text(text)
        case .blob(let data): return .blob([UInt8](data))
        }
    }
}

/// A session on a GRDB connection, inside the transaction `ContentStore.read` or `write` opened.
struct SQLiteSession: StoreSession {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    /// The statement for `query`, from the connection's cache: the store's statements are a
    /// fixed set of texts with values bound, so each is prepared once per connection.
    private func statement(_ query: SQLQuery) throws -> Statement {
        let (sql, values) = query.rendered(for: .sqlite)
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(StatementArguments(values.map(Self.databaseValue)))
        return statement
    }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }

    func fetchAll(_ query: SQLQuery) throws -> [SQLRow] {
        try Row.fetchAll(statement(query)).map { SQLRow(sqlite: SQLiteRow(row: $0)) }
    }

    func fetchOne(_ query: SQLQuery) throws -> SQLRow? {
        try Row.fetchOne(statement(query)).map { SQLRow(sqlite: SQLiteRow(row: $0)) }
    }

    func forEach(_ query: SQLQuery, _ visit: (SQLRow) throws -> Void) throws {
        let cursor = try Row.fetchCursor(statement(query))
        while let row = try cursor.next() { try visit(SQLRow(sqlite: SQLiteRow(row: row))) }
    }

    @discardableResult
    func execute(_ query: SQLQuery) throws -> Int {
        try statement(query).execute()
        return db.changesCount
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        guard let result else { throw StoreError.transactionWithoutResult }
        return result
    }

    func mustAbort(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_IOERR
    }
}
