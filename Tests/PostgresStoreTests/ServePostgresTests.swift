import Foundation
import Testing
import TestSupport

/// `pmcms serve` on a PostgreSQL store (issue 19, item 1), driven over HTTP as a browser would
/// (curl with a cookie jar) while the CLI writes to the same database from other processes:
/// accounts log in, roles hold, a form writes one revision, a change made elsewhere shows on the
/// next page view (pages kept per store version are never stale), a stale form writes nothing
/// (409), a removed account is out at its next request, and publish-due runs on its timer.
@Suite("pmcms serve on PostgreSQL")
struct ServePostgresTests {
    typealias Folder = StoreCopyTests.Folder

    /// An HTTP answer: status and body.
    struct Answer {
        var status: Int
        var body: String
    }

    /// A GET, or a POST of `form` (URL-encoded fields), keeping cookies in `jar` as a browser does.
    static func curl(_ url: String, jar: String, form: [String]? = nil) throws -> Answer {
        var arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "20", "-b", jar, "-c", jar]
        for field in form ?? [] { arguments += ["--data-urlencode", field] }
        let result = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments + [url], timeout: .seconds(30))
        let lines = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        return Answer(status: Int(lines.last ?? "") ?? 0, body: lines.dropLast().joined(separator: "\n"))
    }

    /// The first form token in a page.
    static func csrf(in html: String) throws -> String {
        let start = try #require(html.range(of: #"name="csrf" value=""#)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    /// Logs `name` in through the login form; the session cookie lands in `jar`.
    static func logIn(_ base: String, _ name: String, _ password: String, jar: String) throws -> Answer {
        let form = try curl(base + "/login", jar: jar)
        try #require(form.status == 200, "login page: \(form.status)")
        return try curl(base + "/login", jar: jar, form: ["csrf=\(try csrf(in: form.body))", "name=\(name)", "password=\(password)"])
    }

    /// Starts `pmcms serve` on `url` on a free loopback port and waits until it answers.
    static func startServer(_ folder: Folder, url: String, env: [String: String]) throws -> (process: Process, base: String, log: URL) {
        let log = folder.directory.appendingPathComponent("serve.log")
        for port in (0..<5).map({ _ in Int.random(in: 20_000...60_000) }) {
            let process = Process()
            process.executableURL = StoreCopyTests.executable
            process.arguments = ["serve", "--listen", "127.0.0.1:\(port)"]
            process.environment = folder.environment.merging(env) { $1 }.merging(["PMCMS_DB": url]) { $1 }
            process.currentDirectoryURL = folder.directory
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let base = "http://127.0.0.1:\(port)"
            for _ in 0..<50 where process.isRunning {  // bounded: the server may take a moment to accept
                let probe = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/assets/site.css"],
                                               timeout: .seconds(10))
                if probe.stdoutText == "200" { return (process, base, log) }
                Thread.sleep(forTimeInterval: 0.2)
            }
            if process.isRunning { process.terminate() }
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw PostgresStoreTestError.serverDidNotStart(text)
    }

    enum PostgresStoreTestError: Error {
        case serverDidNotStart(String)
    }

    /// An entry's head revision and body on the PostgreSQL store, read by the CLI.
    static func head(_ folder: Folder, _ url: String, _ slug: String) throws -> (revision: Int, body: String, author: String, status: String) {
        let text = try folder.must(["show", slug, "--json"], env: ["PMCMS_DB": url])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let history = try folder.must(["history", slug, "--json"], env: ["PMCMS_DB": url])
        let revisions = try #require(try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]])
        let last = try #require(revisions.max { ($0["number"] as? Int ?? 0) < ($1["number"] as? Int ?? 0) })
        return (last["number"] as? Int ?? 0, object["body"] as? String ?? "", last["author"] as? String ?? "", object["status"] as? String ?? "")
    }

    @Test("accounts log in, pages render, forms write revisions, CLI writes show at once, stale forms get 409, publish-due runs",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func serveOnPostgres() async throws {
        try await TestDatabase.with { database in
            let folder = try Folder()
            defer { folder.remove() }
            let url = database.url
            let onPG = ["PMCMS_DB": url]
            try StoreCopyTests.richStore(folder)  // Alice is an admin; one entry is scheduled for 2027-01-01
            try folder.must(["store", "copy", "pmcms.sqlite", url])
            try folder.must(["user", "add", "wendy", "--role", "writer", "--password-stdin"], input: "wendy's long password\n", env: onPG)
            try folder.must(["user", "add", "rita", "--role", "reviewer", "--password-stdin"], input: "rita's long password\n", env: onPG)
            func first(_ status: String) throws -> String {
                let list = try JSONSerialization.jsonObject(with: Data(try folder.must(["list", "--json", "--status", status], env: onPG).utf8))
                return try #require((list as? [[String: Any]])?.first?["slug"] as? String, "no \(status) entry")
            }
            let scheduled = try first("scheduled"), slug = try first("draft")

            // The desk's clock is past the scheduled time: its publish-due run at start publishes it.
            let (server, base, log) = try Self.startServer(folder, url: url, env: ["PMCMS_NOW": "2027-02-01T00:00:00Z"])
            defer { if server.isRunning { server.terminate() } }
            let banner = try String(contentsOf: log, encoding: .utf8)
            #expect(banner.contains("log in with your account"), "\(banner)")
            #expect(!banner.contains("does not run on PostgreSQL"), "\(banner)")

            let writer = folder.directory.appendingPathComponent("writer.jar").path
            let reviewer = folder.directory.appendingPathComponent("reviewer.jar").path
            #expect(try Self.curl(base + "/", jar: writer).status == 303, "no session: to the login page")
            #expect(try Self.logIn(base, "wendy", "not her password", jar: writer).status == 401)
            #expect(try Self.logIn(base, "wendy", "wendy's long password", jar: writer).status == 303)
            #expect(try Self.logIn(base, "rita", "rita's long password", jar: reviewer).status == 303)

            // Pages render from PostgreSQL.
            for path in ["/", "/entries", "/entries?q=project", "/entries/\(slug)", "/entries/\(slug)/diff", "/entries/\(slug)/edit"] {
                let page = try Self.curl(base + path, jar: writer)
                #expect(page.status == 200, "\(path): \(page.status)")
            }
            let search = try Self.curl(base + "/entries?q=oversees", jar: writer)
            #expect(search.body.contains("<mark>oversees</mark>") || search.body.contains("oversees"), "search page")

            // An edit through the form: one revision, signed by the account, read back by the CLI.
            let before = try Self.head(folder, url, slug)
            let entryPage = try Self.curl(base + "/entries/\(slug)", jar: writer)
            let csrf = try Self.csrf(in: entryPage.body)
            let edited = try Self.curl(base + "/entries/\(slug)/edit", jar: writer, form: [
                "csrf=\(csrf)", "rev=\(before.revision)", "title=Edited in the browser", "body=Written through serve on PostgreSQL.", "message=web",
            ])
            #expect(edited.status == 303, "edit: \(edited.status) \(edited.body.prefix(300))")
            let afterWeb = try Self.head(folder, url, slug)
            #expect(afterWeb.revision == before.revision + 1)
            #expect(afterWeb.body == "Written through serve on PostgreSQL.")
            #expect(afterWeb.author == "wendy")

            // The page, viewed twice (kept the second time), then a CLI edit from another
            // process: the next view shows it.
            for _ in 0..<2 {
                let page = try Self.curl(base + "/entries/\(slug)", jar: writer)
                #expect(page.body.contains("Written through serve on PostgreSQL."))
            }
            try folder.must(["edit", slug, "--set", "body=Changed by the CLI meanwhile.", "-m", "cli"], env: onPG)
            let fresh = try Self.curl(base + "/entries/\(slug)", jar: writer)
            #expect(fresh.body.contains("Changed by the CLI meanwhile."), "the kept page was stale")
            #expect(!fresh.body.contains("Written through serve on PostgreSQL.</p>"))

            // A form made before the CLI's edit: nothing written, 409.
            let stale = try Self.curl(base + "/entries/\(slug)/actions/submit", jar: writer, form: ["csrf=\(csrf)", "rev=\(afterWeb.revision)"])
            #expect(stale.status == 409, "stale submit: \(stale.status)")
            #expect(try Self.head(folder, url, slug).revision == afterWeb.revision + 1)
            // A forged form (no token) is refused.
            #expect(try Self.curl(base + "/entries/\(slug)/actions/submit", jar: writer, form: ["csrf=nope", "rev=\(afterWeb.revision + 1)"]).status == 403)

            // Roles: the writer submits; she may not approve; the reviewer may.
            let current = afterWeb.revision + 1
            #expect(try Self.curl(base + "/entries/\(slug)/actions/submit", jar: writer, form: ["csrf=\(csrf)", "rev=\(current)"]).status == 303)
            let refused = try Self.curl(base + "/entries/\(slug)/actions/approve", jar: writer, form: ["csrf=\(csrf)", "rev=\(current + 1)"])
            #expect(refused.status == 403, "a writer approving: \(refused.status)")
            let reviewerPage = try Self.curl(base + "/entries/\(slug)", jar: reviewer)
            let approved = try Self.curl(base + "/entries/\(slug)/actions/approve", jar: reviewer,
                                         form: ["csrf=\(try Self.csrf(in: reviewerPage.body))", "rev=\(current + 1)"])
            #expect(approved.status == 303, "approve: \(approved.status)")
            let afterApproval = try Self.head(folder, url, slug)
            #expect(afterApproval.status == "approved" && afterApproval.author == "rita", "\(afterApproval)")

            // An account removed by the CLI is out at its next request.
            try folder.must(["user", "remove", "wendy"], env: onPG)
            #expect(try Self.curl(base + "/", jar: writer).status == 303, "a removed account's session still works")
            #expect(try Self.curl(base + "/", jar: reviewer).status == 200)

            // publish-due ran at start, on the desk's clock (bounded wait for its first run).
            var published = ""
            for _ in 0..<50 {
                published = try Self.head(folder, url, scheduled).status
                if published == "published" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(published == "published", "the scheduled entry is \(published)")

            server.terminate()
            server.waitUntilExit()
            #expect(server.terminationStatus == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            #expect(try folder.must(["verify"], env: onPG).hasPrefix("ok: "))
        }
    }
}
