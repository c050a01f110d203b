import Foundation
import GRDB
import PMCMS
import Testing
import TestBackends

/// Exporting streams: the peak memory of `pmcms export json` barely moves between a small store
/// and one forty times larger.
@Suite("export memory stays flat", .sqliteOnly("fills a SQLite store with GRDB directly"))
struct ExportMemoryTests {
    /// Makes a store of `count` published questions of about 1 KB each with prepared
    /// statements in one transaction (the store's own write path would take minutes for this
    /// many), with real content hashes and search rows, so that `pmcms verify` passes on it.
    func generatedStore(_ run: PMCMSRun, name: String, count: Int) throws -> String {
        let path = run.directory.appendingPathComponent(name).path
        _ = try ContentStore(path: path, create: true)
        let queue = try DatabaseQueue(path: path)
        let filler = String(repeating: "lorem ", count: 160)
        let now = "2026-11-29T10:00:00Z"
        try queue.write { db in
            let entry = try db.makeStatement(sql: "INSERT INTO entry (id, slug, kind, head, live, created_at, updated_at) VALUES (?, ?, 'question', 0, NULL, ?, ?)")
            let revision = try db.makeStatement(sql: """
                INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, body, edited_at, published_at, hash)
                VALUES (?, 1, 'import', 'generator', ?, 'published', ?, ?, ?, ?, ?)
                """)
            let head = try db.makeStatement(sql: "UPDATE entry SET head = 1, live = 1 WHERE id = ?")
            let search = try db.makeStatement(sql: "INSERT INTO search (rowid, title, body, summary) VALUES (?, ?, ?, '')")
            for i in 1...count {
                let content = Content(
                    status: .published, title: "Generated question \(i)?", body: "Answer \(i): \(filler)",
                    editedAt: String(format: "2026-%02d-%02d", 1 + i % 12, 1 + i % 28), publishedAt: now)
                try entry.execute(arguments: [i, "generated-\(i)", now, now])
                try revision.execute(arguments: [i, now, content.title, content.body, content.editedAt, content.publishedAt,
                                                 ContentStore.revisionHash(kind: .question, content: content, metadata: RevisionMetadata(
                                                     entryID: Int64(i), number: 1, parent: nil, origin: "import", author: "generator",
                                                     createdAt: now, message: nil, upstream: false, linesAdded: 0, linesRemoved: 0))])
                try head.execute(arguments: [i])
                try search.execute(arguments: [i, content.title, content.body])
            }
        }
        return path
    }

    @Test func exportingTwentyThousandEntriesKeepsMemoryFlat() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        let small = try generatedStore(run, name: "small.sqlite", count: 500)
        let large = try generatedStore(run, name: "large.sqlite", count: 20_000)

        let baseline = try run.peakMemory(["export", "json", "--out", run.directory.appendingPathComponent("small.json").path], env: ["PMCMS_DB": small, "PMCMS_NOW": "2026-11-29T10:00:00Z"])
        let measured = try run.peakMemory(["export", "json", "--out", run.directory.appendingPathComponent("large.json").path], env: ["PMCMS_DB": large, "PMCMS_NOW": "2026-11-29T10:00:00Z"])
        #expect(baseline.status == 0 && measured.status == 0)
        let size = try FileManager.default.attributesOfItem(atPath: run.directory.appendingPathComponent("large.json").path)[.size] as? Int ?? 0
        // The large export is some 45 MB: holding it, or its entries, would show here.
        #expect(size > 40_000_000, "export size \(size)")
        #expect(measured.kib - baseline.kib < 12 * 1024, "peak \(measured.kib) KiB for 20,000 entries vs \(baseline.kib) KiB for 500")
        #expect(measured.kib < 100 * 1024, "peak \(measured.kib) KiB")
    }
}
