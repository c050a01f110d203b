public import Foundation
import GRDB
import PMCMS
import PostgresNIO

/// One end of `pmcms store copy`: a SQLite file or a PostgreSQL database.
public enum StoreEndpoint: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// `postgres://…` is a PostgreSQL store; anything else is a SQLite file's path.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if StoreAddress.isPostgres(text) {
            self = .postgres(try PostgresLocation(url: text, environment: environment))
        } else {
            self = .sqlite(path: text)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let location): return location.description
        }
    }
}

/// What `store copy` copied: the rows of each table, all of them verified against the source.
public struct StoreCopyReport: Sendable, Codable, Equatable {
    /// One table's row count.
    public struct Table: Sendable, Codable, Equatable {
        public var name: String
        public var rows: Int
    }

    public var source: String
    public var destination: String
    public var tables: [Table]
}

/// Copies a store with its full history between SQLite and PostgreSQL, in either direction.
///
/// The source is read in one snapshot; the destination is written in one transaction, row by
/// row with bound parameters, and only when it is empty (a new store is made when it does not
/// exist). After the commit the destination is read again and compared with what was read:
/// each table's row count and a digest of every row (so each revision's hash, every head and
/// live pointer, every byte of content), then, for a SQLite destination, `verify`'s checks.
///
/// Synchronous: call it from the CLI's main thread, or from `Blocking.onOwnThread`.
public enum StoreCopy {
    /// Rows per batch: bounds memory whatever the store's size (a revision carries its body).
    static let batchSize = 200

    public static func copy(from source: String, to destination: String) throws -> StoreCopyReport {
        let from = try StoreEndpoint(source), to = try StoreEndpoint(destination)
        switch (from, to) {
        case (.sqlite(let a), .sqlite(let b)) where canonical(a) == canonical(b): throw PostgresStoreError.sameStore(a)
        case (.postgres(let a), .postgres(let b)) where a == b: throw PostgresStoreError.sameStore(a.description)
        default: break
        }
        let reader = try openSource(from)
        let writer = try openDestination(to)
        var read: [String: TableDigest] = [:]
        try reader.snapshot { tables in
            let unknown = try tables.tableNames().subtracting(TableSpec.all.map(\.name)).sorted()
            if !unknown.isEmpty { throw PostgresStoreError.unknownTables(store: from.description, tables: unknown) }
            try writer.transaction { out in
                for table in TableSpec.all where !TableSpec.seeded.contains(table.name) {
                    let rows = try out.rowCount(table)
                    if rows > 0 { throw PostgresStoreError.destinationNotEmpty(destination: to.description, table: table.name, rows: rows) }
                }
                for table in TableSpec.all where TableSpec.seeded.contains(table.name) { try out.clear(table) }
                var feedDates: [[Cell]] = []
                for table in TableSpec.all {
                    var digest = TableDigest()
                    let inserted = table.insertedColumns.map(\.name)
                    let positions = inserted.compactMap { name in table.columns.firstIndex { $0.name == name } }
                    try tables.rows(table) { batch in
                        for row in batch { digest.add(row) }
                        if table.name == "entry" {
                            // id, live_feed_date, head_feed_date: written once the revisions are there.
                            feedDates += batch.map { [$0[0], $0[10], $0[11]] }
                        }
                        try out.insert(table, rows: batch.map { row in positions.map { row[$0] } })
                    }
                    read[table.name] = digest
                }
                try out.setFeedDates(feedDates)
                try out.finish()
            }
        }
        // Read the copy again, now committed, and compare it with what was read.
        var problems: [String] = []
        let written = try openSource(to)
        var tables: [StoreCopyReport.Table] = []
        try written.snapshot { copy in
            for table in TableSpec.all {
                var digest = TableDigest()
                try copy.rows(table) { batch in for row in batch { digest.add(row) } }
                let expected = read[table.name] ?? TableDigest()
                if digest.rows != expected.rows {
                    problems.append("\(table.name): \(expected.rows) rows read, \(digest.rows) in the copy")
                } else if digest.hex != expected.hex {
                    problems.append("\(table.name): the rows differ from the source's")
                }
                tables.append(.init(name: table.name, rows: digest.rows))
            }
        }
        if case .sqlite(let path) = to {
            problems += try ContentStore(path: path, access: .read).verify().problems
        }
        if !problems.isEmpty { throw PostgresStoreError.copyNotVerified(destination: to.description, problems: problems) }
        return StoreCopyReport(source: from.description, destination: to.description, tables: tables)
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func openSource(_ endpoint: StoreEndpoint) throws -> any CopySource {
        switch endpoint {
        case .sqlite(let path):
            // Opening it as a store refuses what is not one and brings an older one up to date,
            // so that it has every column the copy reads.
            _ = try ContentStore(path: path, access: .write)
            return try SQLiteSide(path: path, readOnly: true)
        case .postgres(let location):
            let session = try PostgresSession(location)
            let applied = try PostgresMigrator.applied(session)
            if applied.isEmpty {
                throw PostgresStoreError.cannotConnect(location: location.description, reason: "the database holds no pmcms store")
            }
            // Brings an older PostgreSQL store up to date, and refuses a newer one.
            try PostgresMigrator.migrate(session)
            return PostgresSide(session)
        }
    }

    static func openDestination(_ endpoint: StoreEndpoint) throws -> any CopyDestination {
        switch endpoint {
        case .sqlite(let path):
            // A missing or empty file becomes a new store; anything else that is not a store is refused.
            _ = try ContentStore(path: path, access: .create)
            return try SQLiteSide(path: path, readOnly: false)
        case .postgres(let location):
            let session = try PostgresSession(location)
            try PostgresMigrator.migrate(session)
            return PostgresSide(session)
        }
    }
}

/// The count and SHA-256 of a table's rows, in key order: each value as a tag byte (0 NULL,
/// 1 integer, 2 text), then 8 bytes of integer or a length and the text's UTF-8.
struct TableDigest {
    private var hash = PMCMS.SHA256()
    private(set) var rows = 0

    mutating func add(_ row: [Cell]) {
        rows += 1
        var bytes: [UInt8] = []
        for cell in row {
            switch cell {
            case .null:
                bytes.append(0)
            case .integer(let value):
                bytes.append(1)
                withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
            case .text(let text):
                bytes.append(2)
                withUnsafeBytes(of: UInt64(text.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: text.utf8)
            }
        }
        hash.update(bytes)
    }

    /// The digest so far (finishing a copy leaves this one open).
    var hex: String {
        var copy = hash
        return copy.finalizeHex()
    }
}

/// Reads a store's tables in one snapshot.
protocol CopySource {
    func snapshot(_ body: (any SnapshotTables) throws -> Void) throws
}

/// The tables of a snapshot.
protocol SnapshotTables {
    /// The names of the store's own tables (not the migration log, not SQLite's search index).
    func tableNames() throws -> Set<String>
    /// Every row of `table` in key order, all columns of the spec, in batches.
    func rows(_ table: TableSpec, _ batch: ([[Cell]]) throws -> Void) throws
}

/// Writes a copy in one transaction.
protocol CopyDestination {
    func transaction(_ body: (any CopyWriter) throws -> Void) throws
}

protocol CopyWriter {
    func rowCount(_ table: TableSpec) throws -> Int
    func clear(_ table: TableSpec) throws
    /// Inserts rows holding `table.insertedColumns`.
    func insert(_ table: TableSpec, rows: [[Cell]]) throws
    /// Sets each entry's feed dates: rows of id, live_feed_date, head_feed_date.
    func setFeedDates(_ rows: [[Cell]]) throws
    /// What follows from the rows: SQLite's search index, PostgreSQL's identity sequences.
    func finish() throws
}
