import Foundation
import PMCMS
import Testing

/// SIGKILL at random moments never leaves a broken store, and finishing the job afterwards gives
/// exactly what an uninterrupted run gives.
@Suite("End to end: crash safety")
struct CrashSafetyTests {
    /// Everything in the store except what depends on the clock or on insertion order of
    /// internal row ids: entries, every revision's snapshot and metadata, the link table, the
    /// imported files and the search index. Times, `published_at` and the content hash (which
    /// covers `published_at`) are left out; everything else must match exactly. (On PostgreSQL
    /// the search index is a column each revision generates from its own text: the revisions
    /// cover it.)
    static func contentDump(_ pm: PMCMSRun) throws -> String {
        let result = try pm.query("""
            SELECT 'entry', id, slug, kind, import_key, head, live, last_import, import_hash FROM entry ORDER BY id;
            SELECT 'revision', entry_id, number, parent, origin, author, message, upstream, status, title, body, summary,
                   image_url, source_url, edited_at, related, articles, lines_added, lines_removed
              FROM revision ORDER BY entry_id, number;
            SELECT 'link', * FROM link ORDER BY entry_id, role, position;
            SELECT 'file', path, hash FROM import_file ORDER BY path;
            """ + (pm.isPostgres ? "" : "SELECT 'search', rowid, title FROM search ORDER BY rowid;"))
        guard result.status == 0 else { throw DumpError.failed(result.stderr) }
        return result.stdout
    }

    enum DumpError: Error { case failed(String) }

    /// How a run that was told to stop ended.
    enum StopOutcome: Equatable {
        /// It reached the point and was SIGKILLed there.
        case killed
        /// It never reached the point (it had fewer transactions) and exited with this status.
        case finished(Int32, String)
    }

    /// Runs `pmcms ARGS`, telling it (`PMCMS_TEST_STOP_AT`, see `CrashPoint`) to stop the
    /// `count`-th time it reaches `point` and signal it with a file; SIGKILLs it there. No
    /// guessed delay: the kill lands at that point whatever the machine's speed.
    static func run(_ pm: PMCMSRun, _ arguments: [String], stoppingAt point: String, _ count: Int) throws -> StopOutcome {
        let child = try start(pm, arguments, stoppingAt: point, count)
        defer { child.cleanup() }
        if child.stopped {
            child.kill()
            return .killed
        }
        child.process.waitUntilExit()
        return .finished(child.process.terminationStatus, child.stderr)
    }

    /// A `pmcms` child told where to stop; `stopped` says whether it is waiting there.
    struct StoppedChild {
        let process: Process
        let marker: URL
        let errors: URL
        var stopped: Bool { FileManager.default.fileExists(atPath: marker.path) }
        var stderr: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func cleanup() {
            try? FileManager.default.removeItem(at: marker)
            try? FileManager.default.removeItem(at: errors)
        }
    }

    /// Starts `pmcms ARGS` and returns once it is stopped at the point or has ended.
    static func start(_ pm: PMCMSRun, _ arguments: [String], stoppingAt point: String, _ count: Int) throws -> StoppedChild {
        let marker = pm.directory.appendingPathComponent("stop-\(UUID().uuidString)")
        let errors = pm.directory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = PMCMSRun.executable
        process.arguments = arguments
        process.currentDirectoryURL = pm.directory
        process.environment = pm.environment.merging(
            ["PMCMS_TEST_STOP_AT": "\(point):\(count)", "PMCMS_TEST_STOP_FILE": marker.path]) { $1 }
        // Output goes to nothing (stdout) and a file (stderr): a full pipe can never block it.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Waits for an event (the marker, or the end of the process), not for a time.
        while process.isRunning && !FileManager.default.fileExists(atPath: marker.path) { usleep(1_000) }
        return StoppedChild(process: process, marker: marker, errors: errors)
    }

    /// The invariants `pmcms verify` checks, plus the two a reader can see from outside with the
    /// database's own client (sqlite3, psql), checked independently of pmcms's own code.
    static func expectSound(_ pm: PMCMSRun, _ context: String) throws {
        let verify = try pm.run(["verify"])
        #expect(verify.status == 0, "\(context): verify: \(verify.stdout) \(verify.stderr)")
        if !pm.isPostgres {
            let integrity = try pm.query("PRAGMA integrity_check;").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(integrity == "ok", "\(context): \(integrity)")
        }
        let broken = try pm.query("""
            SELECT COUNT(*) FROM entry e WHERE NOT EXISTS (SELECT 1 FROM revision r WHERE r.entry_id = e.id AND r.number = e.head)
               OR (e.live IS NOT NULL AND NOT EXISTS (SELECT 1 FROM revision r WHERE r.entry_id = e.id AND r.number = e.live))
               OR (SELECT MAX(number) FROM revision r WHERE r.entry_id = e.id) <> (SELECT COUNT(*) FROM revision r WHERE r.entry_id = e.id);
            """).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(broken == "0", "\(context): \(broken) entries with a missing head or live revision or a gap in the numbers")
    }

    @Test("an import killed before and after each of its commits leaves a sound store, and re-running it gives the uninterrupted result")
    func importKilledAtEveryCommit() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-crash-site-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: site) }
        try GeneratedSite.write(count: 300, to: site, seed: 0xC0FFEE)
        let importArguments = ["import", site.path, "--base-url", GeneratedSite.baseURL]

        // The reference: one uninterrupted run.
        let reference = try PMCMSRun()
        defer { reference.cleanup() }
        let full = try reference.run(importArguments)
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout.contains("0 errors"), "\(full.stdout)")
        let expected = try Self.contentDump(reference)
        #expect(expected.components(separatedBy: "\nentry|").count > 300, "the site gives several hundred entries")

        // Kill the import at the n-th commit point, for every n until a run finishes without
        // reaching it: each kill lands inside (or right after) a transaction that holds work.
        var dumps: [String: [Int: String]] = [:]
        for point in ["before-commit", "after-commit"] {
            for n in 1...50 {
                let pm = try PMCMSRun()
                defer { pm.cleanup() }
                let context = "killed at \(point) #\(n)"
                let outcome = try Self.run(pm, importArguments, stoppingAt: point, n)
                if case .finished(let status, let stderr) = outcome {
                    // Fewer than n transactions: the run itself must have succeeded.
                    #expect(status == 0, "\(context): an import that was not killed failed: \(stderr)")
                    #expect(try Self.contentDump(pm) == expected, "\(context): a run that was not killed gives the reference")
                    break
                }
                try Self.expectSound(pm, context)
                dumps[point, default: [:]][n] = try Self.contentDump(pm)
                let finish = try pm.run(importArguments)
                #expect(finish.status == 0, "\(context): the re-run: \(finish.stderr)")
                #expect(try Self.contentDump(pm) == expected, "\(context): the state after the kill and a re-run differs from an uninterrupted run")
                try Self.expectSound(pm, "\(context), finished")
            }
        }
        let before = dumps["before-commit"] ?? [:], after = dumps["after-commit"] ?? [:]
        // 300 pages are written in batches of 128: at least three import transactions.
        #expect(before.count >= 3, "kills before \(before.count) commits")
        #expect(before.count == after.count, "as many commit points before as after")
        // A kill before commit n leaves exactly what commit n-1 left: nothing of n survives.
        for n in before.keys.sorted() where n >= 2 {
            #expect(before[n] == after[n - 1], "a kill before commit \(n) leaves the state after commit \(n - 1)")
        }
    }

    /// About 300 KB in 60 long lines: big enough that writing the revision (hash, snapshot,
    /// search index) takes a while, few enough lines that the line diff stays cheap.
    static func bigBody(_ sentence: String) -> String {
        let line = String(repeating: sentence + " ", count: 5_000 / (sentence.count + 1))
        return Array(repeating: line.trimmingCharacters(in: .whitespaces), count: 60).joined(separator: "\n")
    }

    @Test("an edit killed before its commit leaves the previous revision, after it the whole new one; an edit left alone succeeds")
    func editKilledAroundItsCommit() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Crash?", "--body-file", "-"], input: "start").status == 0)
        // A large body makes the transaction hold a lot of uncommitted pages when it is killed.
        let bodyFile = pm.directory.appendingPathComponent("body.md")
        var expectedHead = 1, expectedTitle = "Crash?", expectedBody = "start"
        for trial in 1...4 {
            for point in ["before-commit", "after-commit", "none"] {
                let title = "Crash \(trial) \(point)?"
                let body = Self.bigBody("Trial \(trial) \(point) line, whole or nothing.")
                try body.write(to: bodyFile, atomically: true, encoding: .utf8)
                let arguments = ["edit", "1", "--body-file", bodyFile.path, "--set", "title=\(title)"]
                let context = "trial \(trial), \(point)"
                if point == "none" {
                    // Not killed: its exit status counts, a failing edit cannot pass as "not landed".
                    let result = try pm.run(arguments)
                    #expect(result.status == 0, "\(context): \(result.stderr)")
                    // And it has one transaction: told to stop at a second commit, it finishes.
                    let second = try Self.run(pm, arguments + ["--set", "summary=again \(trial)"], stoppingAt: "before-commit", 2)
                    if case .finished(let status, let stderr) = second {
                        #expect(status == 0, "\(context): \(stderr)")
                    } else {
                        Issue.record("\(context): an edit reached a second commit")
                    }
                    expectedHead += 2
                    expectedTitle = title
                    expectedBody = body
                } else {
                    #expect(try Self.run(pm, arguments, stoppingAt: point, 1) == .killed, "\(context): the edit reached its commit")
                    if point == "after-commit" {
                        expectedHead += 1
                        expectedTitle = title
                        expectedBody = body
                    }
                }
                try Self.expectSound(pm, context)
                // Whether the head's body is the file's: sqlite3 reads the file, psql compares
                // digests (the server cannot read the test's files).
                var digest = SHA256()
                digest.update(Array(body.utf8))
                let sameBody = pm.isPostgres
                    ? "CASE WHEN encode(sha256(convert_to(r.body, 'UTF8')), 'hex') = '\(digest.finalizeHex())' THEN 1 ELSE 0 END"
                    : "r.body = CAST(readfile('\(bodyFile.path)') AS TEXT)"
                let state = try pm.query("""
                    SELECT e.head, r.title, \(sameBody), length(r.body) FROM entry e
                    JOIN revision r ON r.entry_id = e.id AND r.number = e.head WHERE e.id = 1;
                    """).stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
                guard state.count == 4, let head = Int(state[0]) else {
                    Issue.record("\(context): unreadable state \(state)")
                    continue
                }
                #expect(head == expectedHead, "\(context): head r\(head), expected r\(expectedHead)")
                #expect(state[1] == expectedTitle, "\(context): title \(state[1])")
                #expect(state[3] == String(expectedBody.utf8.count), "\(context): body length \(state[3])")
                #expect(state[2] == (point == "before-commit" ? "0" : "1"), "\(context): the head's body is \(point == "before-commit" ? "the previous one" : "the new one, whole")")
            }
        }
    }
}
