import Foundation
import Testing
import TestBackends
@testable import PMCMS

@Suite("Verify and backup")
struct VerifyTests {
    @Test("a sound store verifies")
    func sound() throws {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: .published)
        try t.store.edit("1", author: "kim") { $0.body = "B." }
        let report = try TestBackend.verify(t.store)
        #expect(report.ok, "\(report.problems)")
        #expect(report.entries == 1 && report.revisions == 5)
    }

    @Test("tampering behind the store's back is found: a rewritten snapshot, a bad live pointer, a stale index", .sqliteOnly("drops SQLite triggers and empties the FTS5 table behind the store's back"))
    func tampering() throws {
        let t = try TestStore()
        try t.question()
        try t.move("1", to: .published)
        // An outside tool that drops the guard and rewrites history.
        try t.execute("DROP TRIGGER revision_is_append_only_update")
        try t.execute("UPDATE revision SET body = 'rewritten' WHERE number = 1")
        try t.execute("UPDATE entry SET live = 2")
        try t.execute("DELETE FROM search")
        let problems = try TestBackend.verify(t.store).problems
        #expect(problems.contains("is-pmo-more-senior-than-project-manager: r1's hash does not match its snapshot"))
        #expect(problems.contains("is-pmo-more-senior-than-project-manager: live r2 is not a published revision"))
        #expect(problems.contains("is-pmo-more-senior-than-project-manager: the search index is out of step"))
    }

    @Test("backup writes a consistent, verified copy and never overwrites a file", .sqliteOnly("backup copies the SQLite file (PostgreSQL: pg_dump, BackupAdviceTests)"))
    func backup() throws {
        let t = try TestStore()
        try t.question()
        let destination = t.directory.appendingPathComponent("copy.sqlite").path
        let report = try t.store.backup(to: destination)
        #expect(report.ok && report.entries == 1)
        #expect(try ContentStore(path: destination).entry("1").content.title == "Is PMO more senior than project manager?")
        #expect(throws: OutputError.self) { _ = try t.store.backup(to: destination) }
    }
}
