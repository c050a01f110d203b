import Foundation
import Testing
import TestBackends

/// `pmcms serve` beside a long import in another process: pages read from their own pool of
/// WAL snapshots and never fail while the import writes, and a change made in the browser
/// meanwhile waits for the import's transactions (as a command does) instead of failing.
@Suite("pmcms serve beside an import", .untilSearchServeOnPostgres)
struct ServeReadersTests {
    @Test func aLongImportNeverMakesAPageFail() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let site = pm.directory.appendingPathComponent("site")
        try GeneratedSite.write(count: 1_200, to: site, seed: 0x5E12E)
        try #require(try pm.run(["new", "--kind", "question", "--title", "Waiting for review?", "--set", "body=Yes."]).status == 0)

        let (server, base, banner) = try ServeTests.startServer(pm)
        defer { if server.isRunning { server.terminate() } }
        let login = try #require(banner.split(separator: "\n").first { $0.hasPrefix("open ") }).dropFirst(5)
        let jar = pm.directory.appendingPathComponent("cookies.txt").path
        #expect(try ServeTests.curl(String(login), cookie: nil, jar: jar).status == 303)
        let entry = try ServeTests.curl(base + "/entries/waiting-for-review", cookie: jar)
        try #require(entry.status == 200)
        let csrf = try ServeTests.csrf(in: entry.body)

        let importer = Process()
        importer.executableURL = PMCMSRun.executable
        importer.arguments = ["import", site.path, "--base-url", GeneratedSite.baseURL]
        importer.environment = pm.environment
        importer.currentDirectoryURL = pm.directory
        importer.standardOutput = FileHandle.nullDevice
        importer.standardError = FileHandle.nullDevice
        try importer.run()

        // Bounded: at most 2,000 requests, and only while the import runs.
        let pages = ["/", "/entries", "/entries?sort=title&page=2", "/entries?q=project", "/entries/waiting-for-review", "/entries/1/diff"]
        var failures: [String] = []
        var duringImport = 0
        var submitted = false
        for index in 0..<2_000 where importer.isRunning {
            let path = pages[index % pages.count]
            let page = try ServeTests.curl(base + path, cookie: jar)
            if page.status != 200 { failures.append("\(path): \(page.status)") }
            if importer.isRunning { duringImport += 1 }
            if index == 5 && importer.isRunning {
                // A change from the browser while the import writes: it waits its turn.
                let step = try ServeTests.curl(base + "/entries/waiting-for-review/actions/submit", cookie: jar, form: ["csrf=\(csrf)", "rev=1"])
                #expect(step.status == 303, "submit during the import: \(step.status)")
                submitted = true
            }
        }
        importer.waitUntilExit()
        print("serve beside an import: \(duringImport) pages requested while it ran, \(failures.count) failed")
        #expect(importer.terminationStatus == 0)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(duringImport >= 10, "the requests overlapped the import (\(duringImport) did)")
        #expect(submitted)
        let list = try pm.run(["list", "--json"])
        #expect((try list.json() as? [Any])?.count ?? 0 > 1_000)
        server.terminate()
        server.waitUntilExit()
    }
}
