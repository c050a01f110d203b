import Foundation
import PostgresNIO

/// A PostgreSQL store as one end of a copy.
final class PostgresSide: CopySource, CopyDestination {
    let session: PostgresSession

    init(_ session: PostgresSession) {
        self.session = session
    }

    func snapshot(_ body: (any SnapshotTables) throws -> Void) throws {
        // REPEATABLE READ: every table is read as it was when the first one was.
        try session.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            try body(Tables(session: session))
            try session.query("COMMIT")
        } catch {
            _ = try? session.query("ROLLBACK")
            throw error
        }
    }

    func transaction(_ body: (any CopyWriter) throws -> Void) throws {
        try session.query("BEGIN")
        do {
            // Other writers wait until the copy is committed; readers go on.
            try session.query("LOCK TABLE \(TableSpec.all.map { TableSpec.quoted($0.name) }.joined(separator: ", ")) IN EXCLUSIVE MODE")
            try body(Writer(session: session))
            try session.query("COMMIT")
        } catch {
            _ = try? session.query("ROLLBACK")
            throw error
        }
    }

    struct Tables: SnapshotTables {
        let session: PostgresSession

        func tableNames() throws -> Set<String> {
            Set(try session.query("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
                .map { try $0.decode(String.self) })
                .subtracting(["pmcms_migrations"])
        }

        func rows(_ table: TableSpec, _ batch: ([[Cell]]) throws -> Void) throws {
            // Text keys in byte order ("C"), as SQLite's BINARY orders them.
            let order = table.key.map { name in
                let integer = table.columns.first { $0.name == name }?.integer ?? false
                return TableSpec.quoted(name) + (integer ? "" : " COLLATE \"C\"")
            }.joined(separator: ", ")
            let list = table.columns.map { TableSpec.quoted($0.name) }.joined(separator: ", ")
            // A cursor in the snapshot's transaction: batches of rows, never the whole table.
            try session.query("DECLARE pmcms_copy NO SCROLL CURSOR FOR SELECT \(list) FROM \(TableSpec.quoted(table.name)) ORDER BY \(order)")
            while true {
                let fetched = try session.query("FETCH \(StoreCopy.batchSize) FROM pmcms_copy")
                if fetched.isEmpty { break }
                try batch(try fetched.map { row in try Self.cells(row, table) })
            }
            try session.query("CLOSE pmcms_copy")
        }

        static func cells(_ row: PostgresRow, _ table: TableSpec) throws -> [Cell] {
            var cells: [Cell] = []
            cells.reserveCapacity(table.columns.count)
            for (cell, column) in zip(row, table.columns) {
                do {
                    if column.integer {
                        cells.append(try cell.decode(Int64?.self).map(Cell.integer) ?? .null)
                    } else {
                        cells.append(try cell.decode(String?.self).map(Cell.text) ?? .null)
                    }
                } catch {
                    throw PostgresStoreError.unexpectedValue(table: table.name, column: column.name)
                }
            }
            return cells
        }
    }

    struct Writer: CopyWriter {
        let session: PostgresSession

        func rowCount(_ table: TableSpec) throws -> Int {
            Int(try session.query("SELECT COUNT(*) FROM \(TableSpec.quoted(table.name))").first?.decode(Int64.self) ?? 0)
        }

        func clear(_ table: TableSpec) throws {
            try session.query("DELETE FROM \(TableSpec.quoted(table.name))")
        }

        func insert(_ table: TableSpec, rows: [[Cell]]) throws {
            guard !rows.isEmpty else { return }
            // One statement for the batch: VALUES ($1, $2, …), ($n+1, …), every value bound.
            let columns = table.insertedColumns
            var tuples: [String] = []
            tuples.reserveCapacity(rows.count)
            for index in rows.indices {
                let first = index * columns.count
                tuples.append("(" + (1...columns.count).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
            }
            try session.query("""
                INSERT INTO \(TableSpec.quoted(table.name)) (\(columns.map { TableSpec.quoted($0.name) }.joined(separator: ", ")))
                VALUES \(tuples.joined(separator: ", "))
                """, rows.flatMap { $0 })
        }

        func setFeedDates(_ rows: [[Cell]]) throws {
            for start in stride(from: 0, to: rows.count, by: StoreCopy.batchSize) {
                let batch = rows[start..<min(start + StoreCopy.batchSize, rows.count)]
                try session.queries(batch.map { row in
                    ("UPDATE entry SET live_feed_date = $1, head_feed_date = $2 WHERE id = $3", [row[1], row[2], row[0]])
                })
            }
        }

        func finish() throws {
            // New rows made here later must not reuse the copied ids.
            for table in ["entry", "revision", "account_event"] {
                try session.query("""
                    SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT MAX(id) FROM \(TableSpec.quoted(table))), 0) + 1, false)
                    """)
            }
        }
    }
}
