import Foundation
import GRDB
import Schema
import Testing
import TestBackends
@testable import PMCMS

/// `verify` sees what it promises to see (issue 14 item 16): FTS5's own check of the search
/// index, every field of a revision in its hash, the guard triggers, and damage reported as
/// "corrupt store: …" instead of a raw error.
@Suite("Verify: index, metadata, triggers, corruption", .sqliteOnly("damages the SQLite file's FTS5 index, triggers and columns"))
struct VerifyDepthTests {
    func published() throws -> TestStore {
        let t = try TestStore()
        try t.question()
        try t.question("Can a PMO run agile teams?", body: "Yes, with light governance and a clear intake process.")
        try t.move("1", to: .published)
        #expect(try t.store.verify().ok)
        return t
    }

    @Test("a zeroed or byte-flipped search index fails FTS5's integrity check")
    func searchIndex() throws {
        for damage in [
            "UPDATE search_data SET block = zeroblob(length(block)) WHERE id > 10",
            "UPDATE search_data SET block = CAST(replace(CAST(block AS TEXT), 'pmo', 'pmx') AS BLOB) WHERE id > 10",
        ] {
            let t = try published()
            try t.execute(damage)
            let problems = try t.store.verify().problems
            #expect(problems.contains { $0.hasPrefix("corrupt store: the search index fails FTS5's integrity check") }, "\(damage): \(problems)")
        }
    }

    @Test("a rewritten author, time, message or origin no longer matches the revision's hash")
    func metadataIsHashed() throws {
        for (column, value) in [("author", "'mallory'"), ("created_at", "'2020-01-01T00:00:00Z'"), ("message", "'nothing to see'"), ("origin", "'import'")] {
            let t = try published()
            // An outside tool that lifts the guard, rewrites history and puts the guard back.
            try t.execute("DROP TRIGGER revision_is_append_only_update")
            try t.execute("UPDATE revision SET \(column) = \(value) WHERE entry_id = 1 AND number = 2")
            try t.execute("""
                CREATE TRIGGER revision_is_append_only_update BEFORE UPDATE ON revision
                BEGIN SELECT RAISE(ABORT, 'revisions are append-only: UPDATE of a revision is refused'); END
                """)
            let problems = try t.store.verify().problems
            #expect(problems == ["is-pmo-more-senior-than-project-manager: r2's hash does not match its snapshot"], "\(column): \(problems)")
        }
    }

    @Test("dropped guard triggers are reported")
    func triggers() throws {
        let t = try published()
        try t.execute("DROP TRIGGER revision_is_append_only_delete")
        try t.execute("DROP TRIGGER revision_numbers_are_contiguous")
        let problems = try t.store.verify().problems
        #expect(problems.contains("the trigger revision_is_append_only_delete is missing: revisions are no longer protected against rewriting"))
        #expect(problems.contains("the trigger revision_numbers_are_contiguous is missing: revisions are no longer protected against rewriting"))
    }

    @Test("links that are not JSON and values pmcms never writes are 'corrupt store', with the rest still checked")
    func damagedValues() throws {
        let t = try published()
        try t.execute("DROP TRIGGER revision_is_append_only_update")
        try t.execute("UPDATE revision SET related = '{not json' WHERE entry_id = 2")
        try t.execute("UPDATE revision SET title = x'ff00' WHERE entry_id = 1 AND number = 1")
        try t.execute("UPDATE entry SET live = 1 WHERE id = 2")
        let report = try t.store.verify()
        #expect(report.problems.contains("corrupt store: can-a-pmo-run-agile-teams: the head's links are not valid JSON"), "\(report.problems)")
        #expect(report.problems.contains("corrupt store: can-a-pmo-run-agile-teams: r1 cannot be read (a field holds a value this program never writes)"))
        #expect(report.problems.contains("corrupt store: is-pmo-more-senior-than-project-manager: r1 cannot be read (a field holds a value this program never writes)"))
        #expect(report.problems.contains("can-a-pmo-run-agile-teams: live r1 is not a published revision"))
        #expect(report.entries == 2)
    }

    @Test("a store from before scheme 2 keeps verifying; its new revisions hash every field")
    func olderStore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        // A version-5 store with one revision hashed the old way (its snapshot only).
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            for migration in Schema.migrations.prefix(while: { $0.identifier != "0006_revision_hash" }) {
                migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
            }
            try migrator.migrate(queue)
            let content = Content(status: .draft, title: "An old question?", body: "An old answer.")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO entry (id, slug, kind, head, created_at, updated_at) VALUES (1, 'an-old-question', 'question', 1, 't', 't')")
                try db.execute(sql: """
                    INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, body, hash, lines_added)
                    VALUES (1, 1, 'edit', 'sam', '2026-01-01T00:00:00Z', 'draft', ?, ?, ?, 1)
                    """, arguments: [content.title, content.body, ContentStore.contentHash(kind: .question, content: content)])
                try db.execute(sql: "INSERT INTO search (rowid, title, body, summary) VALUES (1, ?, ?, '')", arguments: [content.title, content.body])
            }
        }
        let store = try ContentStore(path: path)
        #expect(try store.verify().problems == [])
        try store.edit("1", author: "kim") { $0.body = "A newer answer." }
        #expect(try store.verify().problems == [])
        try store.database.write { db in
            try db.execute(sql: "DROP TRIGGER revision_is_append_only_update")
            try db.execute(sql: "UPDATE revision SET author = 'mallory' WHERE number = 2")
        }
        #expect(try store.verify().problems.contains("an-old-question: r2's hash does not match its snapshot"))
    }
}
