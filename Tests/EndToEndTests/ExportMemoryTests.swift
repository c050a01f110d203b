import Foundation
import PMCMS
import Testing

/// Exporting streams: the peak memory of `pmcms export json` barely moves between a small store
/// and one forty times larger.
@Suite("export memory stays flat")
struct ExportMemoryTests {
    /// Makes a store of `count` published questions of about 1 KB each, in one SQL statement per
    /// table (the store's own write path would take minutes for this many).
    func generatedStore(_ run: PMCMSRun, name: String, count: Int) throws -> String {
        let path = run.directory.appendingPathComponent(name).path
        _ = try ContentStore(path: path, create: true)
        let sql = """
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO entry (id, slug, kind, head, created_at, updated_at)
            SELECT i, 'generated-' || i, 'question', 0, '2026-11-29T10:00:00Z', '2026-11-29T10:00:00Z' FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, body, edited_at, published_at, hash)
            SELECT i, 1, 'import', 'generator', '2026-11-29T10:00:00Z', 'published', 'Generated question ' || i || '?',
                'Answer ' || i || ': ' || replace(hex(zeroblob(160)), '00', 'lorem '),
                printf('2026-%02d-%02d', 1 + i % 12, 1 + i % 28), '2026-11-29T10:00:00Z', 'sha256:' || lower(hex(randomblob(32)))
            FROM n;
            UPDATE entry SET head = 1, live = 1;
            COMMIT;
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return path
    }

    /// Runs `pmcms ARGS` under `/usr/bin/time` and returns its exit status and peak resident
    /// memory in KiB. Not `wait4` on a child spawned from this process: a child made with
    /// vfork/posix_spawn carries this (large, parallel) test process's high-water mark through
    /// exec, while `time` forks pmcms from its own small image.
    func peakMemory(_ arguments: [String], store: String) throws -> (status: Int32, kib: Int) {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-rss-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%M", "-o", report.path, PMCMSRun.executable.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PMCMS_DB"] = store
        environment["PMCMS_NOW"] = "2026-11-29T10:00:00Z"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = try String(contentsOf: report, encoding: .utf8)
        let kib = try #require(text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last,
                               "no figure from /usr/bin/time: \(text)")
        return (process.terminationStatus, kib)
    }

    @Test func exportingTwentyThousandEntriesKeepsMemoryFlat() throws {
        let run = try PMCMSRun()
        defer { run.cleanup(verifying: false) }  // written with raw SQL and placeholder hashes
        let small = try generatedStore(run, name: "small.sqlite", count: 500)
        let large = try generatedStore(run, name: "large.sqlite", count: 20_000)

        let baseline = try peakMemory(["export", "json", "--out", run.directory.appendingPathComponent("small.json").path], store: small)
        let measured = try peakMemory(["export", "json", "--out", run.directory.appendingPathComponent("large.json").path], store: large)
        #expect(baseline.status == 0 && measured.status == 0)
        let size = try FileManager.default.attributesOfItem(atPath: run.directory.appendingPathComponent("large.json").path)[.size] as? Int ?? 0
        // The large export is some 45 MB: holding it, or its entries, would show here.
        #expect(size > 40_000_000, "export size \(size)")
        #expect(measured.kib - baseline.kib < 12 * 1024, "peak \(measured.kib) KiB for 20,000 entries vs \(baseline.kib) KiB for 500")
        #expect(measured.kib < 100 * 1024, "peak \(measured.kib) KiB")
    }
}
