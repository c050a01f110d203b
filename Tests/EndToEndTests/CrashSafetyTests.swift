import Foundation
import Testing

/// SIGKILL at random moments never leaves a broken store, and finishing the job afterwards gives
/// exactly what an uninterrupted run gives.
@Suite("End to end: crash safety")
struct CrashSafetyTests {
    /// Everything in the store except what depends on the clock or on insertion order of
    /// internal row ids: entries, every revision's snapshot and metadata, the link table, the
    /// imported files and the search index. Times, `published_at` and the content hash (which
    /// covers `published_at`) are left out; everything else must match exactly.
    static func contentDump(_ pm: PMCMSRun) throws -> String {
        let result = try pm.sqlite("""
            SELECT 'entry', id, slug, kind, import_key, head, live, last_import, import_hash FROM entry ORDER BY id;
            SELECT 'revision', entry_id, number, parent, origin, author, message, upstream, status, title, body, summary,
                   image_url, source_url, edited_at, related, articles, lines_added, lines_removed
              FROM revision ORDER BY entry_id, number;
            SELECT 'link', * FROM link ORDER BY entry_id, role, position;
            SELECT 'file', path, hash FROM import_file ORDER BY path;
            SELECT 'search', rowid, title FROM search ORDER BY rowid;
            """)
        guard result.status == 0 else { throw DumpError.failed(result.stderr) }
        return result.stdout
    }

    enum DumpError: Error { case failed(String) }

    /// Runs `pmcms ARGS` and SIGKILLs it after `delay` seconds unless it ends first; returns
    /// whether it was killed.
    static func runKilled(_ pm: PMCMSRun, _ arguments: [String], after delay: TimeInterval) throws -> Bool {
        let process = Process()
        process.executableURL = PMCMSRun.executable
        process.arguments = arguments
        process.currentDirectoryURL = pm.directory
        process.environment = pm.environment
        // Nothing reads the output: send it nowhere, so a full pipe can never block the process.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning && Date() < deadline { usleep(500) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed && process.terminationReason == .uncaughtSignal
    }

    /// The invariants `pmcms verify` checks, plus the two a reader can see from outside with the
    /// sqlite3 tool, checked independently of pmcms's own code.
    static func expectSound(_ pm: PMCMSRun, _ context: String) throws {
        let verify = try pm.run(["verify"])
        #expect(verify.status == 0, "\(context): verify: \(verify.stdout) \(verify.stderr)")
        let integrity = try pm.sqlite("PRAGMA integrity_check;").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(integrity == "ok", "\(context): \(integrity)")
        let broken = try pm.sqlite("""
            SELECT COUNT(*) FROM entry e WHERE NOT EXISTS (SELECT 1 FROM revision r WHERE r.entry_id = e.id AND r.number = e.head)
               OR (e.live IS NOT NULL AND NOT EXISTS (SELECT 1 FROM revision r WHERE r.entry_id = e.id AND r.number = e.live))
               OR (SELECT MAX(number) FROM revision r WHERE r.entry_id = e.id) <> (SELECT COUNT(*) FROM revision r WHERE r.entry_id = e.id);
            """).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(broken == "0", "\(context): \(broken) entries with a missing head or live revision or a gap in the numbers")
    }

    @Test("an import killed at random moments leaves a sound store, and re-running it gives the uninterrupted result")
    func importKilledAtRandomMoments() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-crash-site-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: site) }
        try GeneratedSite.write(count: 300, to: site, seed: 0xC0FFEE)
        let importArguments = ["import", site.path, "--base-url", GeneratedSite.baseURL]

        // The reference: one uninterrupted run, timed to spread the kills over its length.
        let reference = try PMCMSRun()
        defer { reference.cleanup() }
        let started = Date()
        let full = try reference.run(importArguments)
        let duration = Date().timeIntervalSince(started)
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout.contains("0 errors"), "\(full.stdout)")
        let expected = try Self.contentDump(reference)
        #expect(expected.components(separatedBy: "\nentry|").count > 300, "the site gives several hundred entries")

        let seed = UInt64(Date().timeIntervalSince1970)
        var random = SeededRandom(seed: seed)
        var killedMidRun = 0
        let trials = 24
        // Four stores, six kills each: every kill is followed by the checks and a re-run that is
        // itself killed, until the last re-run of each store finishes and is compared.
        for store in 0..<4 {
            let pm = try PMCMSRun()
            defer { pm.cleanup() }
            for kill in 0..<(trials / 4) {
                // Re-runs skip the files already imported, so they are shorter: kill within the
                // first half of a full run's time to land most kills while work is going on.
                let delay = Double.random(in: 0.02...(duration * 0.5), using: &random)
                let killed = try Self.runKilled(pm, importArguments, after: delay)
                if killed { killedMidRun += 1 }
                let context = "seed \(seed), store \(store), kill \(kill) after \(String(format: "%.3f", delay)) s"
                if FileManager.default.fileExists(atPath: pm.storePath) { try Self.expectSound(pm, context) }
                if !killed {
                    // The run finished first (the machine was faster than when the reference was
                    // timed), so every later run would only skip files: start this store again.
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: pm.storePath + suffix) }
                }
            }
            let finish = try pm.run(importArguments)
            #expect(finish.status == 0, "seed \(seed), store \(store): \(finish.stderr)")
            let actual = try Self.contentDump(pm)
            #expect(actual == expected, "seed \(seed), store \(store): the state after the kills differs from an uninterrupted run")
            try Self.expectSound(pm, "seed \(seed), store \(store), finished")
        }
        print("crash safety: full import \(String(format: "%.2f", duration)) s, \(killedMidRun) of \(trials) kills mid-run, seed \(seed)")
        #expect(killedMidRun >= trials / 2, "most kills land while the import runs (\(killedMidRun) of \(trials), full run \(duration) s)")
    }

    /// About 300 KB in 60 long lines: big enough that writing the revision (hash, snapshot,
    /// search index) takes a while, few enough lines that the line diff stays cheap.
    static func bigBody(_ sentence: String) -> String {
        let line = String(repeating: sentence + " ", count: 5_000 / (sentence.count + 1))
        return Array(repeating: line.trimmingCharacters(in: .whitespaces), count: 60).joined(separator: "\n")
    }

    @Test("an edit killed mid-write lands whole or not at all")
    func editKilledMidWrite() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Crash?", "--body-file", "-"], input: "start").status == 0)
        // A large body makes the write itself take a while, so kills land inside it.
        let bodyFile = pm.directory.appendingPathComponent("body.md")
        let started = Date()
        try Self.bigBody("A long answer line that makes the revision big.").write(to: bodyFile, atomically: true, encoding: .utf8)
        #expect(try pm.run(["edit", "1", "--body-file", bodyFile.path, "--set", "title=Crash 0?"]).status == 0)
        let duration = Date().timeIntervalSince(started)

        let seed = UInt64(Date().timeIntervalSince1970)
        var random = SeededRandom(seed: seed)
        var expectedHead = 2, expectedTitle = "Crash 0?", killed = 0
        for trial in 1...24 {
            let line = "Trial \(trial) line, whole or nothing."
            let body = Self.bigBody(line)
            try body.write(to: bodyFile, atomically: true, encoding: .utf8)
            let delay = Double.random(in: 0.005...(duration * 1.1), using: &random)
            if try Self.runKilled(pm, ["edit", "1", "--body-file", bodyFile.path, "--set", "title=Crash \(trial)?"], after: delay) {
                killed += 1
            }
            let context = "seed \(seed), trial \(trial), killed after \(String(format: "%.3f", delay)) s"
            try Self.expectSound(pm, context)
            let state = try pm.sqlite("""
                SELECT e.head, r.title, length(r.body), r.body = replace(r.body, 'Trial \(trial) line', '') FROM entry e
                JOIN revision r ON r.entry_id = e.id AND r.number = e.head WHERE e.id = 1;
                """).stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
            guard state.count == 4, let head = Int(state[0]) else {
                Issue.record("\(context): unreadable state \(state)")
                continue
            }
            if head == expectedHead + 1 {
                // Landed: the whole new title and body, nothing of the old.
                #expect(state[1] == "Crash \(trial)?", "\(context)")
                #expect(state[2] == String(body.count), "\(context): body length \(state[2]), expected \(body.count)")
                #expect(state[3] == "0", "\(context): the body is the new one")
                expectedHead = head
                expectedTitle = state[1]
            } else {
                // Not landed: exactly the previous revision is still the head.
                #expect(head == expectedHead, "\(context): head r\(head), expected r\(expectedHead) or r\(expectedHead + 1)")
                #expect(state[1] == expectedTitle, "\(context): title \(state[1])")
            }
        }
        #expect(killed >= 8, "enough kills land while the edit runs (\(killed) of 24)")
    }
}
