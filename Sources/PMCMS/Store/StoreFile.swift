import Foundation
import GRDB
import Schema

/// What a command may do to the store file.
public enum StoreAccess: Sendable {
    /// Read an existing store. Nothing is created, migrated or changed, and a store in a
    /// read-only file or folder can still be read.
    case read
    /// Change an existing store (migrating it to this version first).
    case write
    /// Change the store, making a new one when the file is missing or empty.
    case create
}

/// The checks made on a store path before SQLite is allowed to touch it.
enum StoreFile {
    /// What is at the path, as far as it can be told without SQLite.
    enum State: Equatable {
        case missing
        case empty
        case sqlite
    }

    /// The first 16 bytes of every SQLite database file.
    static let sqliteHeader = Array("SQLite format 3\0".utf8)

    /// Looks at the file without opening it for writing: only a missing or empty file, or an
    /// SQLite database, may be handed to SQLite (which would otherwise make its tables in
    /// whatever it is given).
    static func inspect(_ path: String) throws -> State {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            guard code == ENOENT else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(code))) }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw StoreError.cannotOpen(path: path, reason: "the folder \(folder) does not exist")
            }
            return .missing
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            throw StoreError.notAStore(path: path, reason: .folder)
        default:
            throw StoreError.notAStore(path: path, reason: .notARegularFile)
        }
        if info.st_size == 0 { return .empty }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: sqliteHeader.count)
        let count = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count == sqliteHeader.count, header == sqliteHeader else {
            throw StoreError.notAStore(path: path, reason: .notSQLite)
        }
        return .sqlite
    }

    /// The tables of the database when it is positively another application's (tables, and no
    /// store migrations among them), read as immutable: no lock, no journal rolled back, no
    /// file made beside it. An ordinary open would roll back another program's hot journal (a
    /// write), and close with a checkpoint. Nil when it may be a store, or cannot be told this
    /// way (the full check follows, on the ordinary connection).
    static func foreignTables(_ path: String) -> [String]? {
        var configuration = Configuration()
        configuration.readonly = true
        guard let probe = try? DatabaseQueue(path: immutableURI(path), configuration: configuration),
              let schema = try? probe.read({ db in try StoreSchema(db) }) else { return nil }
        // Only a database without GRDB's migration list: another GRDB application's is told
        // apart by the full check, on a consistent read.
        return schema.isForeign && !schema.tables.contains("grdb_migrations") ? schema.tables : nil
    }

    /// Whether a read that failed because SQLite could not make its shared-memory file (a
    /// read-only folder or file) may be retried on the database file alone, as immutable: only
    /// when no write-ahead log holds changes that the file alone would miss.
    static func mayReadImmutable(_ path: String, error: DatabaseError) -> Bool {
        guard error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN else { return false }
        var info = stat()
        return stat(path + "-wal", &info) != 0 || info.st_size == 0
    }

    /// The `file:` URI that opens `path` as an immutable database (SQLite reads it without
    /// locks, a shared-memory file or a write-ahead log).
    static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        return "file:\(encoded)?immutable=1"
    }
}

/// What an opened SQLite file holds, read before anything is written to it.
struct StoreSchema {
    /// The tables of the database (SQLite's own excepted).
    var tables: [String]
    /// The store migrations it has applied.
    var applied: [String]

    init(_ db: Database) throws {
        tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        applied = tables.contains("grdb_migrations") ? try ContentStore.appliedMigrationIdentifiers(db) : []
    }

    /// Tables besides GRDB's migration list (which a store being created has for a moment on
    /// its own), and not the first store migration among the applied ones: another program's.
    var isForeign: Bool {
        guard tables.contains(where: { $0 != "grdb_migrations" }) else { return false }
        guard let first = Schema.migrations.first?.identifier else { return true }
        return !applied.contains(first)
    }

    /// A pmcms store (not empty, not foreign) that lacks some of this version's migrations.
    var isPartlyMigrated: Bool {
        !isEmpty && !isForeign && !Set(Schema.migrations.map(\.identifier)).isSubset(of: applied)
    }

    /// Nothing in it yet but, perhaps, the empty migration list of a store being created.
    var isEmpty: Bool { applied.isEmpty && !tables.contains(where: { $0 != "grdb_migrations" }) }

    static func foreign(path: String, tables: [String]) -> StoreError {
        StoreError.notAStore(path: path, reason: .foreign(tables: tables.count))
    }

    /// Refuses a database that is not a store (only `.create` may start one in an empty
    /// database), one made by a newer version, and, for reading, one not yet fully migrated.
    func check(path: String, access: StoreAccess) throws {
        let known = Schema.migrations.map(\.identifier)
        if isEmpty {
            if access == .create { return }
            throw StoreError.notAStore(path: path, reason: .emptyDatabase)
        }
        if isForeign { throw Self.foreign(path: path, tables: tables) }
        try ContentStore.refuseNewer(applied: applied, known: known, path: path)
        if access == .read && !Set(known).isSubset(of: applied) {
            // Its first migration is applied (not foreign, not empty): a pmcms store, only older.
            throw StoreError.olderStore(path: path, missing: known.filter { !applied.contains($0) })
        }
    }
}

extension StoreError {
    /// SQLite's errors about the store file as sentences that say what to do; any other
    /// error is returned unchanged.
    static func translating(_ error: DatabaseError, path: String) -> any Error {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError.busy(path: path)
        case .SQLITE_READONLY:
            return StoreError.readOnly(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError.corrupt(path: path)
        case .SQLITE_IOERR, .SQLITE_FULL:
            return StoreError.diskError(path: path)
        case .SQLITE_CANTOPEN:
            return StoreError.cannotOpen(
                path: path, reason: "SQLite cannot open it or the files beside it (-wal, -shm); check that its folder exists and that you may read it (and, to change it, write the file and its folder)")
        default:
            return error
        }
    }
}

/// Where a store lives, told apart by its address alone.
public enum StoreAddress {
    /// Whether `text` names a PostgreSQL database (`postgres://…`, `postgresql://…`) rather
    /// than a SQLite file. In the core so that a pmcms built without the PostgreSQL backend
    /// tells the two apart exactly as one built with it.
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }
}
