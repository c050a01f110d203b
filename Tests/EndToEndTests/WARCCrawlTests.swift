import Foundation
import Synchronization
import Testing

/// The WARC import against a real crawler: Python's `http.server` serves the fixture site on
/// 127.0.0.1, Debian's wget crawls it into a WARC, and importing that WARC must give the entries
/// importing the folder gives. Runs wherever wget is installed; with `PMCMS_REQUIRE_WGET=1` (set
/// by `.ci/run`) a missing wget is a failure, never a skip.
@Suite("End to end: WARC from a real crawler")
struct WARCCrawlTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let site = root.appendingPathComponent("Tests/Fixtures/site")
    static let required = ProcessInfo.processInfo.environment["PMCMS_REQUIRE_WGET"] == "1"
    static let wget = ["/usr/bin/wget", "/usr/local/bin/wget", "/bin/wget"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `python3 -m http.server` on an ephemeral port of 127.0.0.1; always stopped by `stop()`.
    final class Server {
        let process = Process()
        let port: Int

        init(serving folder: URL) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // Port 0: the kernel picks a free one and the server says which (unbuffered, -u).
            process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder.path]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let said = Said()
            let reader = out.fileHandleForReading
            DispatchQueue.global().async {
                while case let data = reader.availableData, !data.isEmpty {
                    said.append(String(decoding: data, as: UTF8.self))
                }
            }
            // Bounded wait for "Serving HTTP on 127.0.0.1 port N".
            var found: Int?
            for _ in 0..<200 where found == nil {
                let text = said.text
                if let range = text.range(of: #"port (\d+)"#, options: .regularExpression) {
                    found = Int(text[range].dropFirst(5))
                } else if !process.isRunning {
                    break
                } else {
                    usleep(50_000)
                }
            }
            guard let found else {
                process.terminate()
                process.waitUntilExit()
                throw CrawlError.serverDidNotStart(said.text)
            }
            port = found
        }

        /// SIGKILL, not `terminate()`: a child spawned from a test thread inherits that thread's
        /// signal mask, in which SIGTERM is blocked, so a SIGTERM would wait forever.
        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// What the server printed, appended from the thread that reads it.
    final class Said: Sendable {
        private let value = Mutex("")
        func append(_ text: String) { value.withLock { $0 += text } }
        var text: String { value.withLock { $0 } }
    }

    enum CrawlError: Error { case serverDidNotStart(String) }

    @Test("wget --recursive --warc-file of the served site imports as the folder itself does",
          .enabled(if: wget != nil || required, "wget is not installed (PMCMS_REQUIRE_WGET=1 makes this a failure)"))
    func wgetCrawlEqualsFolderImport() throws {
        guard let wget = Self.wget else {
            Issue.record("wget is not installed and PMCMS_REQUIRE_WGET=1: apt-get install wget (.ci/run does)")
            return
        }
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let server = try Server(serving: Self.site)
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)/"
        let warcBase = pm.directory.appendingPathComponent("crawl").path
        // Bounded: wget gives up on a dead connection after 10 s, and `timeout` stops the lot.
        // Three tries: on a loaded machine the server has dropped a connection unanswered
        // ("No data received", exit 4), which would leave a page out of the crawl.
        let crawl = try PMCMSRun.tool("/usr/bin/timeout", [
            // --no-directories: the mirror's files are not what is tested, and a page saved as
            // `faq` (a redirect) beside the folder `faq/` is an I/O error (exit 3) otherwise.
            "120", wget, "--recursive", "--level=5", "--no-parent", "--no-proxy", "--no-directories", "--tries=3", "--waitretry=1", "--retry-connrefused", "--timeout=10", "--no-verbose",
            "--warc-file=\(warcBase)", "--directory-prefix=\(pm.directory.appendingPathComponent("mirror").path)", base,
        ])
        // wget exits 8 when the server answered an error: robots.txt and the site's links to
        // pages it does not hold are 404s.
        #expect(crawl.status == 0 || crawl.status == 8, "wget: \(crawl.status) \(crawl.stderr)")
        server.stop()
        let archive = warcBase + ".warc.gz"
        #expect(FileManager.default.fileExists(atPath: archive))

        let now = ["PMCMS_NOW": "2026-11-30T12:00:00Z"]
        let warcStore = pm.directory.appendingPathComponent("warc.sqlite").path
        let folderStore = pm.directory.appendingPathComponent("folder.sqlite").path
        let fromWARC = try pm.run(["--db", warcStore, "import", archive, "--json"], env: now)
        #expect(fromWARC.status == 0, "\(fromWARC.stdout)\(fromWARC.stderr)")
        let summary = try fromWARC.object()
        let skipped = try #require(summary["records_skipped"] as? [String: Int])
        #expect((skipped["request"] ?? 0) > 10 && skipped["warcinfo"] == 1 && (skipped["status 404"] ?? 0) > 0, "\(skipped)")
        let fromFolder = try pm.run(["--db", folderStore, "import", Self.site.path, "--base-url", base], env: now)
        #expect(fromFolder.status == 0, "\(fromFolder.stdout)\(fromFolder.stderr)")

        // The server's directory listings (`/`, `/faq/`, …: how wget found the pages) are HTML
        // pages of the crawl, and become entries; the folder has no such pages. Set aside by
        // their address and title, they are all that differs.
        var warcEntries = try Self.comparable(pm.run(["--db", warcStore, "export", "json", "--all"], env: now))
        let listings = warcEntries.filter { $0.key.hasSuffix("/") && $0.value.contains(#""title":"Directory listing for "#) }
        #expect(Set(listings.keys) == Set(["", "articles/", "faq/", "legacy/"].map { base + $0 }))
        for key in listings.keys { warcEntries[key] = nil }
        let folderEntries = try Self.comparable(pm.run(["--db", folderStore, "export", "json", "--all"], env: now))
        #expect(folderEntries.count > 20)
        #expect(Set(warcEntries.keys) == Set(folderEntries.keys))
        for (key, entry) in folderEntries {
            #expect(warcEntries[key] == entry, "\(key)")
        }
        // The same import again writes nothing.
        let revisions = try PMCMSRun.tool("/usr/bin/sqlite3", [warcStore, "SELECT COUNT(*), MAX(id) FROM revision;"]).stdout
        let again = try pm.run(["--db", warcStore, "import", archive, "--json"], env: now)
        #expect(try again.object()["created"] as? Int == 0 && again.object()["updated"] as? Int == 0)
        #expect(try PMCMSRun.tool("/usr/bin/sqlite3", [warcStore, "SELECT COUNT(*), MAX(id) FROM revision;"]).stdout == revisions)
    }

    /// `export json --all` as entries keyed by source URL (else title), each re-encoded with
    /// sorted keys, without the one field that depends on the order pages were met in: `id`
    /// (wget fetches in link order, the folder is read in name order). Source URLs are equal:
    /// the folder is imported with the server's address as `--base-url`, and pages with a
    /// canonical link keep it either way. Times are equal too (`PMCMS_NOW`); the capture's
    /// fetch date is kept in the revision message, which `export json` does not hold.
    static func comparable(_ result: PMCMSRun.Result) throws -> [String: String] {
        let list = try #require(try result.object()["entries"] as? [[String: Any]], "\(result.stdout.prefix(300))\(result.stderr)")
        var entries: [String: String] = [:]
        for var entry in list {
            entry["id"] = nil
            let key = (entry["source_url"] as? String) ?? (entry["title"] as? String ?? "")
            let data = try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys])
            entries[key] = String(decoding: data, as: UTF8.self)
        }
        return entries
    }
}
