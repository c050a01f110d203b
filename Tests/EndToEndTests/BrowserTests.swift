import Foundation
import Testing
import TestBackends

/// One day of review in a real browser: Debian's Chromium, driven through chromedriver by
/// `Tests/Browser/scenario.py` (python3-selenium), against the real `pmcms serve` on a free
/// loopback port over a temporary store. This test builds the store and the accounts, starts
/// and stops the server, runs the script, and checks the feed the published change reaches.
///
/// Without Chromium the test is skipped with the reason, unless `PMCMS_REQUIRE_BROWSER=1`
/// (`.ci/run` sets it), where a missing browser is a failure. Screenshots of the queue, entry
/// and diff pages (desktop and phone width) are written to a temporary folder the test prints;
/// with `PMCMS_UPDATE_SCREENSHOTS=1` they also replace `docs/serve-*.png`, which the README shows.
@Suite("The review desk in Chromium", .untilSearchServeOnPostgres)
struct BrowserTests {
    static let python = "/usr/bin/python3"  // Debian's: the pyenv python3 on PATH lacks python3-selenium
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    static let scenario = ImportTests.root.appendingPathComponent("Tests/Browser/scenario.py")
    static let required = ProcessInfo.processInfo.environment["PMCMS_REQUIRE_BROWSER"] == "1"

    /// What is missing for the browser test, or nil when it can run.
    static let missing: String? = {
        var missing: [String] = []
        if !FileManager.default.isExecutableFile(atPath: chromium) { missing.append("chromium") }
        if !FileManager.default.isExecutableFile(atPath: chromedriver) { missing.append("chromium-driver") }
        if !FileManager.default.isExecutableFile(atPath: python) || (try? PMCMSRun.tool(python, ["-c", "import selenium"]).status) != 0 {
            missing.append("python3-selenium")
        }
        return missing.isEmpty ? nil : "not installed: \(missing.joined(separator: ", ")) (apt-get install chromium chromium-driver python3-selenium)"
    }()

    /// The team: created by the admin with `pmcms user add`, passwords on standard input.
    static let accounts: [String: (name: String, role: String, password: String)] = [
        "admin": ("ada", "admin", "admin-pass-1234"),
        "writer": ("walt", "writer", "writer-pass-1234"),
        "second": ("wendy", "writer", "wendy-pass-1234"),
        "reviewer": ("rita", "reviewer", "reviewer-pass-1234"),
        "publisher": ("pat", "publisher", "publisher-pass-1234"),
    ]
    static let entry = "is-pmo-more-senior-than-project-manager"
    static let ownEntry = "what-is-a-raci-matrix"
    static let staleEntry = "am-i-qualified-to-be-a-project-manager"
    static let hostileEntry = "is-the-hostile-page-inert-in-the-review-desk"
    static let firstText = "Certification draft: PMO leaders usually hold PRINCE2 Practitoner."
    static let finalText = "Certification: PMO leaders often hold PRINCE2 Practitioner or P3O."

    @Test(
        "A writer, a reviewer and a publisher do a day of review in Chromium",
        .enabled(if: BrowserTests.missing == nil || BrowserTests.required,
                 "Chromium, chromium-driver or python3-selenium is not installed (set PMCMS_REQUIRE_BROWSER=1 to fail instead)"),
        .timeLimit(.minutes(5)))
    func dayOfReview() throws {
        if let missing = Self.missing {
            Issue.record("PMCMS_REQUIRE_BROWSER=1 but the browser test cannot run: \(missing)")
            return
        }
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        try Self.prepareStore(pm)

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        print("browser test output (screenshots, logs): \(output.path)")

        let server = try ServeProcess(pm)
        defer { server.stop() }

        let config: [String: Any] = [
            "base": server.base, "out": output.path, "accounts": Self.accounts.mapValues { ["name": $0.name, "password": $0.password] },
            "entry": Self.entry, "ownEntry": Self.ownEntry, "staleEntry": Self.staleEntry, "hostileEntry": Self.hostileEntry,
            "hostileText": "The hostile answer keeps only its words.",
            "firstText": Self.firstText, "finalText": Self.finalText,
            "rejectMessage": "Practitioner is misspelt, and name P3O too.",
        ]
        let result = try Self.runScenario(config: config, output: output)
        #expect(result.status == 0, "the browser scenario failed:\n\(result.log)")

        // The published change reaches the feed, the rejected draft does not.
        let rss = try pm.run(["export", "rss"])
        #expect(rss.status == 0)
        let hasFinal = rss.stdout.contains(Self.finalText), hasFirst = rss.stdout.contains(Self.firstText)
        #expect(hasFinal, "the published text is not in the RSS feed")
        #expect(!hasFirst, "the rejected text reached the RSS feed")

        server.stop()
        #expect(server.exitedCleanly, "pmcms serve did not stop cleanly on SIGTERM")

        for name in ["serve-queue", "serve-entry", "serve-diff"] {
            for suffix in ["", "-phone"] {
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("\(name)\(suffix).png").path), "no screenshot \(name)\(suffix)")
            }
        }
        if ProcessInfo.processInfo.environment["PMCMS_UPDATE_SCREENSHOTS"] == "1", result.status == 0 {
            try Self.updateDocs(from: output)
        }
    }

    /// The seed site, one of its entries published (the one the writer changes), and the hostile page.
    static func prepareStore(_ pm: PMCMSRun) throws {
        try #require(try pm.run(["import", ImportTests.site.path, "--base-url", "https://www.example.org"]).status == 0)
        for (key, value) in [("site.title", "PM Training FAQ"), ("site.url", "https://www.example.org")] {
            try #require(try pm.run(["config", key, value]).status == 0)
        }
        let hostile = ImportTests.fixtures.appendingPathComponent("browser/hostile-entry.html")
        let imported = try pm.run(["import", hostile.path])
        try #require(imported.status == 0, "\(imported.stderr)")
        // An import publishes what it creates: the writer starts from a live entry.
        let shown = try pm.run(["show", entry, "--json"])
        try #require(shown.status == 0 && shown.stdout.contains("\"published\""), "the seed entry is not published: \(shown.stdout)")
        // The admin's account first, then the admin adds the team.
        let admin = try #require(accounts["admin"])
        for account in [admin] + accounts.filter({ $0.key != "admin" }).values.sorted(by: { $0.name < $1.name }) {
            let added = try pm.run(["user", "add", account.name, "--role", account.role, "--password-stdin"], input: account.password + "\n", env: ["PMCMS_AUTHOR": admin.name])
            try #require(added.status == 0, "user add \(account.name): \(added.stderr)")
        }
        // Markdown a writer could type that would load from elsewhere if rendered carelessly.
        let body = try pm.script("hostile.md", "")
        try """
            The hostile answer keeps only its words.

            ![a remote image](https://evil.example.com/markdown.png) [a script link](javascript:alert('md'))
            <script>window.pmcmsPwned = 'markdown'</script> <img src="https://evil.example.com/raw.png" onerror="alert(1)">

            <iframe src="https://evil.example.com/md-frame"></iframe>
            """.write(toFile: body, atomically: true, encoding: .utf8)
        let edited = try pm.run(["edit", hostileEntry, "--body-file", body, "-m", "hostile Markdown"])
        try #require(edited.status == 0, "\(edited.stderr)")
    }

    struct ScenarioResult {
        var status: Int32
        var log: String
    }

    /// Runs the Python scenario with `config` on its standard input, bounded in time. The script
    /// makes itself a process group leader, so chromedriver and Chromium are stopped with it by
    /// one kill of that group, whatever state it ended in.
    static func runScenario(config: [String: Any], output: URL) throws -> ScenarioResult {
        let logURL = output.appendingPathComponent("scenario.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", scenario.path]
        process.standardOutput = log
        process.standardError = log
        let input = Pipe()
        process.standardInput = input
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let group = process.processIdentifier
        defer { kill(-group, SIGKILL) }  // whatever is left of chromedriver and Chromium
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: config))
        try input.fileHandleForWriting.close()
        if finished.wait(timeout: .now() + 240) == .timedOut {
            process.terminate()  // SIGTERM: the script quits its browsers in `finally`
            if finished.wait(timeout: .now() + 15) == .timedOut {
                kill(-group, SIGKILL)
                finished.wait()
            }
            Issue.record("the browser scenario did not finish within 4 minutes")
        }
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        print(text)
        return ScenarioResult(status: process.terminationStatus, log: text)
    }

    /// Copies the screenshots into `docs/`, where the README shows them.
    static func updateDocs(from output: URL) throws {
        let docs = ImportTests.root.appendingPathComponent("docs")
        for name in ["serve-queue", "serve-entry", "serve-diff", "serve-conflict"] {
            for suffix in ["", "-phone"] {
                let file = "\(name)\(suffix).png"
                let target = docs.appendingPathComponent(file)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: output.appendingPathComponent(file), to: target)
            }
        }
        print("screenshots copied to \(docs.path)")
    }
}

/// `pmcms serve` as the browser test runs it, stopped with SIGTERM (and killed if it ignores it).
/// Unchecked because Foundation's `Process` is not `Sendable`; the test starts and stops it from
/// one task at a time.
final class ServeProcess: @unchecked Sendable {
    let process: Process
    let base: String
    private(set) var exitedCleanly = false

    init(_ pm: PMCMSRun) throws {
        (process, base, _) = try ServeTests.startServer(pm)
    }

    /// A graceful stop, bounded in time. Safe to call twice.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        exitedCleanly = process.terminationReason == .exit && process.terminationStatus == 0
    }
}
