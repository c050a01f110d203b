import Foundation
import GRDB
import PMCMS
@testable import PostgresStore
import Testing

/// `store copy` names every table and column it copies (`TableSpec.all`); a column a later
/// SQLite migration adds and the list forgets would be dropped by every copy without a word.
@Suite("The tables and columns store copy copies")
struct StoreTablesTests {
    @Test("Every column of every table of a new SQLite store is in the copy's list, and nothing else is")
    func everySQLiteColumnIsCopied() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-tables-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        _ = try ContentStore(path: path, create: true)
        let database = try DatabaseQueue(path: path)
        let stored: [String: Set<String>] = try database.read { db in
            var columns: [String: Set<String>] = [:]
            for table in TableSpec.all.map(\.name) {
                columns[table] = Set(try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
                    .map { $0["name"] as String })
            }
            return columns
        }
        for table in TableSpec.all {
            let listed = Set(table.columns.map(\.name))
            #expect(listed == stored[table.name], "\(table.name): the store has \((stored[table.name] ?? []).subtracting(listed).sorted()) not listed; listed but not in the store: \(listed.subtracting(stored[table.name] ?? []).sorted())")
        }
    }
}
