import Foundation
import GRDB
import PMCMS

/// A SQLite store as one end of a copy, through GRDB directly: the copy moves rows as they
/// are, below the store's write path (which makes new revisions rather than copying them).
final class SQLiteSide: CopySource, CopyDestination {
    let queue: DatabaseQueue

    init(path: String, readOnly: Bool) throws {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(ContentStore.busyTimeout)
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    func snapshot(_ body: (any SnapshotTables) throws -> Void) throws {
        try queue.inDatabase { db in
            // One read transaction: every table is read as it was at its start.
            try db.inTransaction(.deferred) {
                try body(Tables(db: db))
                return .commit
            }
        }
    }

    func transaction(_ body: (any CopyWriter) throws -> Void) throws {
        try queue.inDatabase { db in
            try db.inTransaction(.immediate) {
                try body(Writer(db: db))
                return .commit
            }
        }
    }

    static func value(_ cell: Cell) -> DatabaseValue {
        switch cell {
        case .null: return .null
        case .integer(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        }
    }

    struct Tables: SnapshotTables {
        let db: Database

        func tableNames() throws -> Set<String> {
            // Not the migration log, not SQLite's own tables, not the FTS5 index and its shadow
            // tables (rebuilt from the heads on a SQLite destination).
            Set(try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                  AND name <> 'grdb_migrations' AND name <> 'search' AND name NOT LIKE 'search\\_%' ESCAPE '\\'
                """))
        }

        func rows(_ table: TableSpec, _ batch: ([[Cell]]) throws -> Void) throws {
            // Text keys in byte order (BINARY), as PostgreSQL's "C" collation orders them, so that
            // both backends list rows alike (account names are NOCASE in SQLite).
            let order = table.key.map { name in
                let integer = table.columns.first { $0.name == name }?.integer ?? false
                return TableSpec.quoted(name) + (integer ? "" : " COLLATE BINARY")
            }.joined(separator: ", ")
            let list = table.columns.map { TableSpec.quoted($0.name) }.joined(separator: ", ")
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(list) FROM \(TableSpec.quoted(table.name)) ORDER BY \(order)")
            var rows: [[Cell]] = []
            rows.reserveCapacity(StoreCopy.batchSize)
            while let row = try cursor.next() {
                var cells: [Cell] = []
                cells.reserveCapacity(table.columns.count)
                for (index, column) in table.columns.enumerated() {
                    let value: DatabaseValue = row[index]
                    switch value.storage {
                    case .null: cells.append(.null)
                    case .int64(let number) where column.integer: cells.append(.integer(number))
                    case .string(let text) where !column.integer: cells.append(.text(text))
                    default: throw PostgresStoreError.unexpectedValue(table: table.name, column: column.name)
                    }
                }
                rows.append(cells)
                if rows.count == StoreCopy.batchSize {
                    try batch(rows)
                    rows.removeAll(keepingCapacity: true)
                }
            }
            if !rows.isEmpty { try batch(rows) }
        }
    }

    struct Writer: CopyWriter {
        let db: Database

        func rowCount(_ table: TableSpec) throws -> Int {
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(TableSpec.quoted(table.name))") ?? 0
        }

        func clear(_ table: TableSpec) throws {
            try db.execute(sql: "DELETE FROM \(TableSpec.quoted(table.name))")
        }

        func insert(_ table: TableSpec, rows: [[Cell]]) throws {
            let columns = table.insertedColumns
            let statement = try db.cachedStatement(sql: """
                INSERT INTO \(TableSpec.quoted(table.name)) (\(columns.map { TableSpec.quoted($0.name) }.joined(separator: ", ")))
                VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                """)
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map { SQLiteSide.value($0) as (any DatabaseValueConvertible)? }))
            }
        }

        func setFeedDates(_ rows: [[Cell]]) throws {
            // Setting the dates alone fires no trigger (they follow updates of head and live).
            let statement = try db.cachedStatement(sql: "UPDATE entry SET live_feed_date = ?, head_feed_date = ? WHERE id = ?")
            for row in rows {
                try statement.execute(arguments: [SQLiteSide.value(row[1]), SQLiteSide.value(row[2]), SQLiteSide.value(row[0])])
            }
        }

        func finish() throws {
            // The search index holds each entry's head, as the store keeps it (migration 0002).
            try db.execute(sql: """
                INSERT INTO search (rowid, title, body, summary)
                SELECT e.id, r.title, r.body, COALESCE(r.summary, '')
                FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
                """)
        }
    }
}
