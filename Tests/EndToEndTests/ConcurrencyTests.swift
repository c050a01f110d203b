import Foundation
import Synchronization
import Testing

@Suite("End to end: concurrent writers")
struct ConcurrencyTests {
    /// Several processes edit one entry with --expect-rev while others read: every edit either
    /// lands or exits 3, none is lost, nobody sees "database is locked", numbers stay contiguous.
    @Test("editors racing with --expect-rev lose nothing and never see a locked database")
    func racingEditors() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Race?", "--body-file", "-"], input: "start").status == 0)
        let writers = 4, editsEach = 6
        let landed = Counter(), stale = Counter(), problems = Messages()
        let finishedWriters = Counter()
        // A bound on work, not on time: an attempt is stale only when another writer's edit
        // landed between its `show` and its `edit`, so a writer needs at most its own edits
        // plus one retry per edit of the others. A few more cover a failed `show`.
        let attemptsEach = editsEach + (writers - 1) * editsEach + 5
        // All at once, one thread each (concurrentPerform would run only one per core).
        ConcurrentWritersTests.runTogether(writers + 2) { worker in
            if worker >= writers {
                // Readers: list and show until every writer is done.
                while finishedWriters.value < writers {
                    guard let result = try? pm.run(["list", "--json"]) else { continue }
                    if result.status != 0 { problems.add("reader: \(result.stderr)") }
                }
                return
            }
            defer { finishedWriters.increment() }
            var done = 0, attempts = 0
            while done < editsEach && attempts < attemptsEach {
                attempts += 1
                guard let shown = try? pm.run(["show", "1", "--json"]), let object = try? shown.object(),
                      let revision = object["revision"] as? Int else {
                    problems.add("show failed")
                    continue
                }
                guard let result = try? pm.run(["edit", "1", "--set", "body=worker \(worker) edit \(done)", "--expect-rev", String(revision)]) else { continue }
                switch result.status {
                case 0:
                    landed.increment()
                    done += 1
                case 3: stale.increment()
                default: problems.add("writer \(worker): exit \(result.status): \(result.stderr)")
                }
                if result.stderr.contains("locked") { problems.add("locked: \(result.stderr)") }
            }
        }
        #expect(problems.all.isEmpty, "\(problems.all.prefix(5))")
        #expect(landed.value == writers * editsEach)
        let numbers = try pm.query("SELECT number FROM revision WHERE entry_id = 1 ORDER BY number;")
            .stdout.split(separator: "\n").joined(separator: ",")
        #expect(numbers == (1...(1 + landed.value)).map(String.init).joined(separator: ","))
        #expect(try pm.run(["verify"]).status == 0)
    }
}

@Suite("End to end: opening a new store at once")
struct ConcurrentCreationTests {
    @Test("processes that create and migrate one new store at the same moment all succeed")
    func racingCreation() throws {
        for trial in 0..<5 {
            let pm = try PMCMSRun()
            defer { pm.cleanup() }
            let failures = Messages()
            DispatchQueue.concurrentPerform(iterations: 6) { worker in
                let result = worker % 2 == 0
                    ? try? pm.run(["init"])
                    : try? pm.run(["new", "--kind", "question", "--title", "Q\(trial)-\(worker)?"])
                if result?.status != 0 { failures.add("worker \(worker): \(result?.stderr ?? "did not run")") }
            }
            #expect(failures.all.isEmpty, "\(failures.all)")
            #expect(try pm.run(["verify"]).status == 0)
            #expect(try pm.query("SELECT COUNT(*) FROM entry;").stdout == "3\n")
        }
    }
}

/// A thread-safe counter for the racing processes.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// Thread-safe collected messages.
final class Messages: Sendable {
    private let items = Mutex<[String]>([])
    func add(_ message: String) { items.withLock { $0.append(message) } }
    var all: [String] { items.withLock { $0 } }
}
