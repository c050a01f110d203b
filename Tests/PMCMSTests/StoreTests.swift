import Foundation
import GRDB
import Testing
import TestBackends
@testable import PMCMS
import Schema

@Suite("Store")
struct StoreTests {
    /// `--json` output: an empty list is `[]`, whatever Foundation's pretty printer does, and a
    /// newline inside a string stays escaped.
    @Test func prettyJSONWritesEmptyListsOnOneLine() throws {
        #expect(try JSONOutput.string([String](), pretty: true) == "[]")
        struct Shape: Encodable { var list: [String] = []; var map: [String: Int] = [:]; var text = "a\n\n]" }
        let text = try JSONOutput.string([Shape()], pretty: true)
        #expect(text == "[\n  {\n    \"list\" : [],\n    \"map\" : {},\n    \"text\" : \"a\\n\\n]\"\n  }\n]", "\(text)")
    }

    @Test("a fresh file is migrated to the whole schema, in WAL mode with foreign keys on", .sqliteOnly("reads the SQLite file's journal mode, pragmas and GRDB's migrations table"))
    func freshMigration() throws {
        let t = try TestStore()
        #expect(try t.store.appliedMigrations() == Schema.migrations.map(\.identifier))
        let (journal, foreignKeys) = try t.store.database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        // Opening again changes nothing.
        let again = try ContentStore(path: t.path)
        #expect(try again.appliedMigrations() == Schema.migrations.map(\.identifier))
    }

    @Test("a store made by a newer pmcms is refused with a clear message", .sqliteOnly("writes into GRDB's migrations table"))
    func refusesNewerStore() throws {
        let t = try TestStore()
        try t.execute("INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')")
        #expect(throws: StoreError.newerStore(path: t.path, unknown: ["9999_from_the_future"])) {
            _ = try ContentStore(path: t.path)
        }
        let message = StoreError.newerStore(path: t.path, unknown: ["9999_from_the_future"]).description
        #expect(message.contains("newer version") && message.contains("9999_from_the_future"))
    }

    @Test("opening a missing store without create says how to make one", .sqliteOnly("a missing file"))
    func missingStore() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString).sqlite").path
        #expect(throws: StoreError.noStore(path: path)) { _ = try ContentStore(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a file that is not SQLite is refused, not overwritten", .sqliteOnly("a file that is not SQLite"))
    func notAStore() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("junk-\(UUID().uuidString).sqlite").path
        let junk = Data(repeating: 0x41, count: 4096)
        try junk.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: (any Error).self) { _ = try ContentStore(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk)
    }

    @Test("list filters by kind and status, sorts and limits")
    func listing() throws {
        let t = try TestStore()
        try t.question("B question")
        try t.question("A question")
        try t.store.createEntry(kind: .article, content: Content(title: "An article"), author: "sam")
        try t.move("1", to: .inReview)
        #expect(try t.store.list(ListQuery(kind: .question, sort: .title)).map(\.content.title) == ["A question", "B question"])
        #expect(try t.store.list(ListQuery(status: .inReview)).map(\.id) == [1])
        #expect(try t.store.list(ListQuery(kind: .article)).map(\.slug) == ["an-article"])
        #expect(try t.store.list(ListQuery(sort: .id, limit: 2)).map(\.id) == [1, 2])
    }

    @Test("settings are validated and kept")
    func settings() throws {
        let t = try TestStore()
        try t.store.setSetting(.siteTitle, "PM FAQ")
        try t.store.setSetting(.siteURL, "https://www.example.org")
        #expect(try t.store.setting(.siteTitle) == "PM FAQ")
        #expect(throws: StoreError.self) { try t.store.setSetting(.siteURL, "not a url") }
        #expect(throws: StoreError.self) { try t.store.setSetting(.feedLimit, "0") }
        try t.store.setSetting(.siteTitle, nil)
        #expect(try t.store.setting(.siteTitle) == nil)
    }

    @Test("the entry object has every key, absent values as null")
    func entryObject() throws {
        let t = try TestStore()
        try t.question(body: "A.")
        let text = try JSONOutput.string(try t.store.entry("1"), pretty: false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let keys = ["id", "slug", "kind", "status", "revision", "live_revision", "title", "body", "body_html", "summary",
                    "image_url", "source_url", "edited_at", "created_at", "updated_at", "published_at", "related", "articles"]
        #expect(Set(object.keys) == Set(keys))
        #expect(object["live_revision"] is NSNull)
        #expect(object["summary"] is NSNull)
        #expect(object["body_html"] as? String == "<p>A.</p>\n")
    }
}
