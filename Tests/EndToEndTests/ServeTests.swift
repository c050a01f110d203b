import Foundation
import Testing
import TestBackends

/// `pmcms serve` as a user starts it: it prints a login link, serves pages to a browser holding
/// the session cookie (here curl), refuses everyone else, and stops cleanly on SIGTERM.
@Suite("pmcms serve, end to end")
struct ServeTests {
    @Test func servesTheQueueAfterLoginAndStopsOnSIGTERM() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        // A copy of the site, so that a page can be re-scraped with a change.
        let site = pm.directory.appendingPathComponent("site")
        try FileManager.default.copyItem(at: ImportTests.site, to: site)
        try #require(try pm.run(["import", site.path, "--base-url", "https://www.example.org"]).status == 0)
        try #require(try pm.run(["edit", "is-pmo-more-senior-than-project-manager", "--set", "title=Is a PMO senior?", "-m", "shorter"]).status == 0)
        try #require(try pm.run(["submit", "is-pmo-more-senior-than-project-manager"]).status == 0)
        // The page changes after the edit: the import keeps it aside as an upstream revision (r4) past the head (r3).
        let scraped = site.appendingPathComponent("faq/is-pmo-more-senior-than-project-manager.html")
        try String(contentsOf: scraped, encoding: .utf8).replacingOccurrences(of: "overseeing multiple projects", with: "overseeing many projects")
            .write(to: scraped, atomically: true, encoding: .utf8)
        try #require(try pm.run(["import", site.path, "--base-url", "https://www.example.org"]).status == 0)

        #expect(try pm.run(["serve", "--listen", "0.0.0.0:8080"]).status == 2, "no accounts: loopback only")
        #expect(try pm.run(["serve", "--listen", "nonsense"]).status == 2)

        // A free port: bind fails loudly if taken, so try a few.
        var server: Process?
        var link: String?
        var output = Pipe()
        // The request log and the last word: a few lines, far below a pipe's buffer.
        var errors = Pipe()
        for port in (0..<5).map({ _ in Int.random(in: 20_000...60_000) }) {
            let process = Process()
            process.executableURL = PMCMSRun.executable
            process.arguments = ["serve", "--listen", "127.0.0.1:\(port)"]
            process.environment = pm.environment
            process.currentDirectoryURL = pm.directory
            output = Pipe()
            process.standardOutput = output
            errors = Pipe()
            process.standardError = errors
            try process.run()
            // The banner comes first, unbuffered; then the server reports it listens.
            let banner = try Self.readUntil("open http", from: output.fileHandleForReading)
            link = banner.split(separator: "\n").first { $0.hasPrefix("open ") }.map { String($0.dropFirst(5)) }
            Thread.sleep(forTimeInterval: 0.5)
            if process.isRunning {
                server = process
                break
            }
        }
        let process = try #require(server)
        let login = try #require(link)
        defer { if process.isRunning { process.terminate() } }

        let loginPath = try #require(login.range(of: "/login?token="))
        let base = String(login[..<loginPath.lowerBound])
        let token = String(login[loginPath.upperBound...])
        var page = Result(status: 0, body: "")
        for _ in 0..<20 {  // bounded: the server may take a moment to accept
            page = try Self.curl(base + "/", cookie: nil)
            if page.status != 0 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(page.status == 401)
        #expect(try Self.curl(base + "/", cookie: "pmcms_session=\(token)").status == 401, "the token is not a session")
        // The login link sets the session cookie, which curl keeps in a jar as a browser would.
        let jar = pm.directory.appendingPathComponent("cookies.txt").path
        #expect(try Self.curl(login, cookie: nil, jar: jar).status == 303)
        let queue = try Self.curl(base + "/", cookie: jar)
        #expect(queue.status == 200)
        #expect(queue.body.contains("Is a PMO senior?"))
        // The entry page says that an import is waiting aside, and links to the comparison.
        let entry = try Self.curl(base + "/entries/is-pmo-more-senior-than-project-manager", cookie: jar)
        #expect(entry.status == 200)
        #expect(entry.body.contains("The imported page changed after this entry was edited: r4 holds the new import"), "\(entry.body)")
        let upstream = try Self.curl(base + "/entries/is-pmo-more-senior-than-project-manager/diff?from=latest&to=upstream", cookie: jar)
        #expect(upstream.status == 200 && upstream.body.contains("many"), "\(upstream.body)")
        let diff = try Self.curl(base + "/entries/is-pmo-more-senior-than-project-manager/diff", cookie: jar)
        #expect(diff.status == 200)
        #expect(diff.body.contains("Is a PMO senior?"))

        process.terminate()  // SIGTERM: a graceful stop
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "status \(process.terminationStatus)")
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(said.hasSuffix("pmcms serve: stopped\n"), "\(said)")
        if !pm.isPostgres {
            // The store was closed: SQLite folded its write-ahead log into the file.
            #expect(!FileManager.default.fileExists(atPath: pm.storePath + "-wal"), "the -wal file is left")
            #expect(try pm.run(["verify"]).status == 0)
        }
    }

    struct Result {
        var status: Int
        var body: String
    }

    /// An HTTP GET through curl: the status code and the body.
    /// `cookie` is a `name=value` or a cookie jar's path; `jar` is where to keep cookies set.
    static func curl(_ url: String, cookie: String?, jar: String? = nil, form: [String]? = nil) throws -> Result {
        var arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "10"]
        if let cookie { arguments += ["-b", cookie] }
        if let jar { arguments += ["-c", jar] }
        for field in form ?? [] { arguments += ["--data-urlencode", field] }
        let result = try PMCMSRun.tool("/usr/bin/curl", arguments + [url])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return Result(status: Int(lines.last ?? "") ?? 0, body: lines.dropLast().joined(separator: "\n"))
    }

    /// Reads a pipe until `marker` has arrived (or the pipe ends).
    static func readUntil(_ marker: String, from handle: FileHandle) throws -> String {
        var text = ""
        while !text.contains(marker) {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        if let newline = text.range(of: marker).flatMap({ text[$0.upperBound...].firstIndex(of: "\n") }), newline < text.endIndex {
            return text
        }
        // The rest of the link's line.
        while !text.hasSuffix("\n") {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }
}

extension ServeTests {
    /// Starts `pmcms serve` on a free loopback port and waits until it answers: the process,
    /// its base URL and its banner.
    static func startServer(_ pm: PMCMSRun, marker: String = "open http") throws -> (process: Process, base: String, banner: String) {
        for port in (0..<5).map({ _ in Int.random(in: 20_000...60_000) }) {
            let process = Process()
            process.executableURL = PMCMSRun.executable
            process.arguments = ["serve", "--listen", "127.0.0.1:\(port)"]
            process.environment = pm.environment
            process.currentDirectoryURL = pm.directory
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let banner = try readUntil(marker, from: output.fileHandleForReading)
            let base = "http://127.0.0.1:\(port)"
            for _ in 0..<25 where process.isRunning {  // bounded: the server may take a moment to accept
                if try curl(base + "/assets/site.css", cookie: nil).status == 200 { return (process, base, banner) }
                Thread.sleep(forTimeInterval: 0.2)
            }
            if process.isRunning { process.terminate() }
        }
        throw PMCMSRun.HarnessError.notAnObject("pmcms serve did not start on any of 5 ports")
    }

    /// The form token in a page.
    static func csrf(in html: String) throws -> String {
        let start = try #require(html.range(of: #"name="csrf" value=""#)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }
}
