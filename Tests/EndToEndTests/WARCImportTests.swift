import Foundation
import Testing
import TestBackends
import TestSupport

/// A WARC archive written the way crawlers write one: each record a gzip member of its own
/// (compressed by gzip's own program), the members concatenated. Offsets are kept so that a
/// test can name the record an error must point at.
struct WARCWriter {
    var version = "WARC/1.0"
    /// One entry per record: its bytes as written (compressed or not).
    private(set) var members: [[UInt8]] = []
    private var counter = 0

    init(version: String = "WARC/1.0") { self.version = version }

    /// The byte offset at which record `index` starts.
    func offset(of index: Int) -> Int { members.prefix(index).reduce(0) { $0 + $1.count } }

    var bytes: [UInt8] { members.flatMap { $0 } }

    /// Appends a record; returns its index.
    @discardableResult
    mutating func record(_ type: String, uri: String? = nil, date: String = "2026-11-30T10:00:00Z",
                         contentType: String? = nil, block: [UInt8], extra: [String] = [], gzip: Bool = true) throws -> Int {
        counter += 1
        var header = "\(version)\r\nWARC-Type: \(type)\r\nWARC-Date: \(date)\r\n"
        header += "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-\(String(format: "%012d", counter))>\r\n"
        if let uri { header += version == "WARC/1.0" ? "WARC-Target-URI: <\(uri)>\r\n" : "WARC-Target-URI: \(uri)\r\n" }
        if let contentType { header += "Content-Type: \(contentType)\r\n" }
        for line in extra { header += line + "\r\n" }
        header += "Content-Length: \(block.count)\r\n\r\n"
        let record = Array(header.utf8) + block + Array("\r\n\r\n".utf8)
        members.append(gzip ? try Self.gzip(record) : record)
        return members.count - 1
    }

    /// A `response` record holding an HTTP response.
    @discardableResult
    mutating func response(_ uri: String, status: Int = 200, headers: [String] = ["Content-Type: text/html"], body: [UInt8],
                           date: String = "2026-11-30T10:00:00Z", gzip: Bool = true) throws -> Int {
        let reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Status"
        let http = Array("HTTP/1.1 \(status) \(reason)\r\n\(headers.map { $0 + "\r\n" }.joined())\r\n".utf8) + body
        return try record("response", uri: uri, date: date, contentType: "application/http; msgtype=response", block: http, gzip: gzip)
    }

    /// Overwrites record `index` with bytes that are not the record any more.
    mutating func replace(_ index: Int, with bytes: [UInt8]) { members[index] = bytes }

    /// Appends a record's bytes as they are (a copy of another member).
    mutating func append(raw bytes: [UInt8]) { members.append(bytes) }

    /// Compresses with `/bin/gzip -c -n` (no name or time: the same bytes every run).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let output = try Subprocess.run(path: "/bin/gzip", ["-c", "-n"], input: Data(bytes))
        guard output.status == 0 else { throw WARCWriterError.gzipFailed }
        return Array(output.stdout)
    }

    enum WARCWriterError: Error { case gzipFailed }
}

@Suite("End to end: WARC import")
struct WARCImportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")

    static func page(title: String, answer: String, head: String = "") -> [UInt8] {
        Array("""
            <!DOCTYPE html>
            <html><head><title>\(title)</title>\(head)</head>
            <body><main><h1>\(title)</h1><p>\(answer)</p></main></body></html>
            """.utf8)
    }

    /// A crawl as a crawler writes one, with everything an importer must tell apart. Returns
    /// the writer, so that tests can damage it or read record offsets.
    static func crawl(version: String = "WARC/1.0", gzip: Bool = true) throws -> WARCWriter {
        var warc = WARCWriter(version: version)
        try warc.record("warcinfo", contentType: "application/warc-fields", block: Array("software: hand-built\r\n".utf8), gzip: gzip)
        try warc.record("request", uri: "https://example.org/faq/pmo.html", contentType: "application/http; msgtype=request",
                        block: Array("GET /faq/pmo.html HTTP/1.1\r\nHost: example.org\r\n\r\n".utf8), gzip: gzip)
        // First capture of a page with no canonical link: the target URI is its identity.
        try warc.response("https://example.org/faq/pmo.html", body: page(
            title: "What does a PMO do?", answer: "A project management office sets standards for every project in the organisation."),
            date: "2026-11-01T08:00:00Z", gzip: gzip)
        try warc.response("https://example.org/logo.png", headers: ["Content-Type: image/png"],
                          body: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], gzip: gzip)
        try warc.response("https://example.org/site.css", headers: ["Content-Type: text/css"], body: Array("main { color: red }".utf8), gzip: gzip)
        try warc.response("https://example.org/gone.html", status: 404, body: page(title: "Not found", answer: "Nothing here at all."), gzip: gzip)
        // Chunked transfer coding, three chunks, one with an extension.
        let article = page(title: "Ten steps of project management",
                           answer: "Start with a charter, then plan the scope, the schedule and the budget before any work begins.")
        let third = article.count / 3
        var chunked: [UInt8] = []
        for (index, piece) in [article[..<third], article[third..<(2 * third)], article[(2 * third)...]].enumerated() {
            chunked += Array((String(piece.count, radix: 16) + (index == 1 ? ";name=value" : "") + "\r\n").utf8) + piece + Array("\r\n".utf8)
        }
        chunked += Array("0\r\n\r\n".utf8)
        try warc.response("https://example.org/articles/steps.html",
                          headers: ["Content-Type: text/html", "Transfer-Encoding: chunked"], body: chunked, gzip: gzip)
        // Windows-1251 bytes, the charset said only by the HTTP header: without it, the bytes
        // would be read as Windows-1252 (they are not UTF-8), every letter wrong.
        let cyrillic = page(title: "Что такое PMO?", answer: "Офис управления проектами задаёт стандарты.")
        let cp1251 = try #require(String(decoding: cyrillic, as: UTF8.self).data(using: .windowsCP1251))
        try warc.response("https://example.org/ru/pmo.html", headers: ["Content-Type: text/html; charset=windows-1251"],
                          body: Array(cp1251), gzip: gzip)
        // The header's charset goes ahead of the page's own <meta>.
        try warc.response("https://example.org/cafe.html", headers: ["Content-Type: application/xhtml+xml; charset=utf-8"],
                          body: page(title: "Café meetings", answer: "Crème brûlée for every project review.",
                                     head: "<meta charset=\"windows-1252\">"), gzip: gzip)
        try warc.record("revisit", uri: "https://example.org/faq/pmo.html", block: Array("HTTP/1.1 304 Not Modified\r\n\r\n".utf8),
                        extra: ["WARC-Profile: http://netpreserve.org/warc/1.0/revisit/server-not-modified"], gzip: gzip)
        try warc.record("metadata", uri: "https://example.org/faq/pmo.html", contentType: "application/warc-fields",
                        block: Array("outlinks: https://example.org/\r\n".utf8), gzip: gzip)
        // Second capture of the same URL, a fortnight later: the entry's second revision.
        try warc.response("https://example.org/faq/pmo.html", headers: ["Content-Type: text/html", "Last-Modified: Sun, 01 Nov 2026 07:00:00 GMT"],
                          body: page(title: "What does a PMO do?",
                                     answer: "A project management office sets standards for every project in the organisation, and audits them."),
                          date: "2026-11-15T09:30:00Z", gzip: gzip)
        // A printer-friendly address whose page names its canonical URL: the canonical wins.
        try warc.response("https://example.org/print/raci.html?view=print", body: page(
            title: "What is a RACI matrix?", answer: "It says who is responsible, accountable, consulted and informed.",
            head: "<link rel=\"canonical\" href=\"https://example.org/faq/raci\">"), gzip: gzip)
        return warc
    }

    func write(_ bytes: [UInt8], _ name: String, in pm: PMCMSRun) throws -> String {
        let url = pm.directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Entries of the store as `list --json` gives them, by title.
    func entries(_ pm: PMCMSRun) throws -> [String: [String: Any]] {
        let list = try #require(try pm.run(["list", "--json"]).json() as? [[String: Any]])
        return Dictionary(list.map { ($0["title"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test("pages of a damaged crawl are imported up to the damage, the rest skipped by reason, the offset named")
    func damagedCrawl() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        var warc = try Self.crawl()
        let good = warc.members.count
        // A record whose deflate data is overwritten after its gzip header, then a good one.
        let damaged = try warc.response("https://example.org/after-damage.html", body: Self.page(title: "Lost in the damage", answer: "Never imported."))
        var bytes = warc.members[damaged]
        for i in 12..<min(bytes.count - 8, 60) { bytes[i] = 0xFF }
        warc.replace(damaged, with: bytes)
        try warc.response("https://example.org/after.html", body: Self.page(title: "After the damage", answer: "Never reached either."))
        #expect(warc.members.count == good + 2)
        let path = try write(warc.bytes, "crawl.warc.gz", in: pm)

        let result = try pm.run(["import", path, "--json"], env: ["PMCMS_NOW": "2026-11-30T12:00:00Z"])
        #expect(result.status == 1, "partial success exits 1: \(result.stdout)\(result.stderr)")
        let summary = try result.object()
        #expect(summary["records_skipped"] as? [String: Int] == [
            "warcinfo": 1, "request": 1, "not HTML": 2, "status 404": 1, "revisit": 1, "metadata": 1,
        ])
        #expect(summary["pages_read"] as? Int == 6)
        #expect(summary["created"] as? Int == 5)
        #expect(summary["updated"] as? Int == 1)
        let errors = try #require(summary["errors"] as? [[String: String]])
        #expect(errors.count == 1)
        #expect(errors.first?["file"] == path)
        #expect(errors.first?["reason"]?.contains("damaged record at offset \(warc.offset(of: damaged)):") == true, "\(errors)")

        let byTitle = try entries(pm)
        #expect(Set(byTitle.keys) == ["What does a PMO do?", "Ten steps of project management", "Что такое PMO?", "Café meetings", "What is a RACI matrix?"])
        let pmo = try pm.run(["show", try #require(byTitle["What does a PMO do?"]?["slug"] as? String), "--json"]).object()
        #expect(pmo["source_url"] as? String == "https://example.org/faq/pmo.html", "the target URI is the identity")
        #expect(pmo["revision"] as? Int == 2, "two captures, two revisions")
        #expect((pmo["body"] as? String)?.contains("and audits them.") == true, "the later capture is the latest revision")
        let history = try #require(try pm.run(["history", "what-does-a-pmo-do", "--json"]).json() as? [[String: Any]])
        #expect(history.compactMap { $0["message"] as? String } == [
            "imported (fetched 2026-11-01T08:00:00Z)", "re-imported: the page changed (fetched 2026-11-15T09:30:00Z)",
        ], "captures in archive order, each with its WARC-Date (not Last-Modified)")
        let steps = try pm.run(["show", "ten-steps-of-project-management", "--json"]).object()
        #expect((steps["body"] as? String)?.contains("Start with a charter, then plan the scope") == true, "chunked body decoded")
        #expect(byTitle["Что такое PMO?"] != nil, "the header's windows-1251")
        let cafe = try pm.run(["show", try #require(byTitle["Café meetings"]?["slug"] as? String), "--json"]).object()
        #expect((cafe["body"] as? String)?.contains("Crème brûlée") == true, "the header's UTF-8 ahead of the page's <meta>")
        let raci = try pm.run(["show", "what-is-a-raci-matrix", "--json"]).object()
        #expect(raci["source_url"] as? String == "https://example.org/faq/raci", "a canonical link wins over the target URI")

        // The text summary says the same, with the error on standard error.
        let again = try pm.run(["import", path])
        #expect(again.status == 1)
        #expect(again.stdout.contains("7 WARC records skipped"), "\(again.stdout)")
        #expect(again.stdout.contains("1 metadata, 2 not HTML, 1 request, 1 revisit, 1 status 404, 1 warcinfo"), "\(again.stdout)")
        #expect(again.stderr.contains("pmcms: error: \(path): damaged record at offset \(warc.offset(of: damaged))"), "\(again.stderr)")
    }

    @Test("re-importing an archive writes nothing: every record is skipped, revision counts unchanged")
    func reimportIsANoOp() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let path = try write(try Self.crawl().bytes, "crawl.warc.gz", in: pm)
        let first = try pm.run(["import", path, "--json"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let state = "SELECT (SELECT COUNT(*) FROM revision), (SELECT MAX(id) FROM revision), (SELECT COUNT(*) FROM entry), (SELECT group_concat(path || hash || imported_at) FROM import_file);"
        let before = try pm.query(state).stdout
        #expect(try pm.query("SELECT COUNT(*) FROM revision;").stdout == "6\n")
        let again = try pm.run(["import", path, "--json"], env: ["PMCMS_NOW": "2027-01-01T00:00:00Z"])
        #expect(again.status == 0)
        let summary = try again.object()
        #expect(summary["created"] as? Int == 0 && summary["updated"] as? Int == 0)
        #expect(summary["files_skipped"] as? Int == 6, "each record is skipped before parsing")
        #expect(try pm.query(state).stdout == before, "nothing written, not even the skip table")
    }

    @Test("an older archive imported after a newer one: its older capture is skipped by reason, never a newer revision")
    func olderArchiveAfterNewer() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let url = "https://example.org/faq/pmo.html"
        func archive(_ answer: String, fetched: String, _ name: String) throws -> String {
            var warc = WARCWriter()
            try warc.response(url, body: Self.page(title: "What does a PMO do?", answer: answer), date: fetched)
            return try write(warc.bytes, name, in: pm)
        }
        let newer = try archive("A project management office sets standards, and audits every project.", fetched: "2026-11-15T09:30:00Z", "new.warc.gz")
        let older = try archive("A project management office sets standards.", fetched: "2026-11-01T08:00:00Z", "old.warc.gz")
        #expect(try pm.run(["import", newer]).status == 0)

        let result = try pm.run(["import", older, "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let summary = try result.object()
        #expect(summary["records_skipped"] as? [String: Int] == ["older than the stored capture": 1], "\(result.stdout)")
        #expect(summary["updated"] as? Int == 0 && summary["created"] as? Int == 0 && summary["unchanged"] as? Int == 0)
        let pmo = try pm.run(["show", "what-does-a-pmo-do", "--json"]).object()
        #expect(pmo["revision"] as? Int == 1, "no revision for the older capture")
        #expect((pmo["body"] as? String)?.contains("audits every project") == true, "the newer text stays current")

        // Again: the same answer, nothing written (the older record is not recorded as imported).
        let state = "SELECT (SELECT COUNT(*) FROM revision), (SELECT group_concat(path || hash) FROM import_file), (SELECT import_fetched_at FROM entry);"
        let before = try pm.query(state).stdout
        let again = try pm.run(["import", older])
        #expect(again.status == 0)
        #expect(again.stdout.contains("1 WARC record skipped: 1 older than the stored capture"), "\(again.stdout)")
        #expect(try pm.query(state).stdout == before)

        // A later capture still makes a revision; the archive that was newest is now older than it.
        let latest = try archive("A project management office sets standards, audits projects and trains managers.", fetched: "2026-12-01T10:00:00Z", "latest.warc.gz")
        let forward = try pm.run(["import", latest, "--json"]).object()
        #expect(forward["updated"] as? Int == 1)
        let reimport = try pm.run(["import", newer])
        #expect(reimport.stdout.contains("1 WARC record skipped: 1 older than the stored capture"), "\(reimport.stdout)")
        #expect(try pm.run(["show", "what-does-a-pmo-do", "--json"]).object()["revision"] as? Int == 2)
    }

    @Test("a store from before version 12 reads its captures' dates from their revision messages once, when migrated", .sqliteOnly("makes a SQLite store of an older version"))
    func fetchDatesOfAnOlderStore() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        var warc = WARCWriter()
        try warc.response("https://example.org/faq/pmo.html", body: Self.page(title: "What does a PMO do?", answer: "Sets standards, and audits them."),
                          date: "2026-11-15T09:30:00Z")
        #expect(try pm.run(["import", try write(warc.bytes, "new.warc.gz", in: pm)]).status == 0)
        // Undo migration 0011 as an older pmcms's store would be: no column, no record of it.
        let undo = try pm.query("ALTER TABLE entry DROP COLUMN import_fetched_at; DELETE FROM grdb_migrations WHERE identifier = '0011_import_fetched_at';")
        #expect(undo.status == 0, "\(undo.stderr)")
        var old = WARCWriter()
        try old.response("https://example.org/faq/pmo.html", body: Self.page(title: "What does a PMO do?", answer: "Sets standards."),
                         date: "2026-11-01T08:00:00Z")
        let result = try pm.run(["import", try write(old.bytes, "old.warc.gz", in: pm), "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try result.object()["records_skipped"] as? [String: Int] == ["older than the stored capture": 1], "\(result.stdout)")
        #expect(try pm.query("SELECT import_fetched_at FROM entry;").stdout == "2026-11-15T09:30:00Z\n")
    }

    @Test("re-importing an archive names its skipped records as records, not unchanged files")
    func reimportSaysRecords() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let path = try write(try Self.crawl().bytes, "crawl.warc.gz", in: pm)
        #expect(try pm.run(["import", path]).status == 0)
        let again = try pm.run(["import", path])
        #expect(again.status == 0)
        #expect(again.stdout.contains("imported 0 pages (6 already imported WARC records skipped): 0 created"), "\(again.stdout)")
        #expect(!again.stdout.contains("unchanged file"), "\(again.stdout)")
    }

    @Test("WARC 1.1 without compression gives the same entries; detected by content, not name")
    func plainWARC11() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let gz = try write(try Self.crawl().bytes, "crawl.warc.gz", in: pm)
        // No .warc in the name: the first bytes say what it is.
        let plain = try write(try Self.crawl(version: "WARC/1.1", gzip: false).bytes, "crawl.data", in: pm)
        #expect(try pm.run(["--db", pm.directory.appendingPathComponent("a.sqlite").path, "import", gz]).status == 0)
        let result = try pm.run(["--db", pm.directory.appendingPathComponent("b.sqlite").path, "import", plain])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let a = try pm.run(["--db", pm.directory.appendingPathComponent("a.sqlite").path, "export", "json", "--all"], env: ["PMCMS_NOW": "2026-11-30T12:00:00Z"])
        let b = try pm.run(["--db", pm.directory.appendingPathComponent("b.sqlite").path, "export", "json", "--all"], env: ["PMCMS_NOW": "2026-11-30T12:00:00Z"])
        #expect(a.status == 0 && !a.stdout.isEmpty)
        #expect(Self.withoutTimes(a.stdout) == Self.withoutTimes(b.stdout))
        // A file named like an archive that is not one is refused by name, the rest imported.
        let fake = try write(Self.page(title: "Not an archive", answer: "Plain HTML."), "notes.warc", in: pm)
        let refused = try pm.run(["--db", pm.directory.appendingPathComponent("c.sqlite").path, "import", fake])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("named like a WARC archive, but it does not start with a WARC record"), "\(refused.stderr)")
    }

    @Test("an archive named through a symbolic link is read as one; a page from a pipe is not looked into")
    func linksAndPipes() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let path = try write(try Self.crawl().bytes, "crawl.warc.gz", in: pm)
        let link = pm.directory.appendingPathComponent("latest-crawl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        let linked = try pm.run(["import", link, "--json"])
        #expect(linked.status == 0, "\(linked.stdout)\(linked.stderr)")
        #expect(try linked.object()["created"] as? Int == 5)
        // Looking for a WARC header in a pipe would take the page's first bytes away.
        let page = try write(Self.page(title: "Piped page", answer: "Read once, from a pipe."), "piped.html", in: pm)
        let piped = try PMCMSRun.tool("/bin/bash", ["-c", "PMCMS_DB='\(pm.storePath)' '\(PMCMSRun.executable.path)' import <(cat '\(page)') --base-url https://example.org/piped --json"])
        #expect(piped.status == 0, "\(piped.stdout)\(piped.stderr)")
        #expect(try piped.object()["created"] as? Int == 1)
    }

    @Test("a response the crawler cut short (WARC-Truncated) is an error, not a page with lost text")
    func crawlerTruncatedResponse() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        var warc = WARCWriter()
        let body = Self.page(title: "Half a page", answer: "The crawler stopped reading here")
        let http = Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".utf8) + body
        try warc.record("response", uri: "https://example.org/half.html", contentType: "application/http; msgtype=response",
                        block: http, extra: ["WARC-Truncated: length"])
        try warc.response("https://example.org/whole.html", body: Self.page(title: "A whole page", answer: "Read to its end."))
        let path = try write(warc.bytes, "crawl.warc.gz", in: pm)
        let result = try pm.run(["import", path, "--json"])
        #expect(result.status == 1)
        let summary = try result.object()
        #expect(summary["created"] as? Int == 1)
        let errors = try #require(summary["errors"] as? [[String: String]])
        #expect(errors.first?["file"] == "\(path) (record at offset 0, https://example.org/half.html)")
        #expect(errors.first?["reason"]?.contains("WARC-Truncated: length") == true, "\(errors)")
    }

    /// JSON text without its `created_at`/`updated_at` values (the two stores were written at
    /// different moments).
    static func withoutTimes(_ json: String) -> String {
        json.replacingOccurrences(of: #""(created_at|updated_at|published_at)" *: *"[^"]*""#, with: "\"$1\": \"\"", options: .regularExpression)
    }

    @Test("on a terminal an archive's import shows a progress bar by bytes read, then the summary")
    func progressOnATerminal() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let path = try write(try Self.crawl().bytes, "crawl.warc.gz", in: pm)
        // script(1) gives pmcms a terminal, as the pager tests do.
        let terminal = try pm.runInTerminal("import \(path)")
        let text = terminal.stdout
        #expect(terminal.status == 0, "\(text)")
        // The archive's pages are counted as they come; how far along is its bytes.
        #expect(text.contains("[########################] 6 pages · 0/0 MB · "), "\(text)")
        #expect(text.contains("imported 6 pages: 5 created, 1 updated"), "\(text)")
    }

    @Test("an archive cut short imports what came before and names the record it was cut in")
    func truncatedArchive() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let warc = try Self.crawl()
        // Cut inside the chunked article's member (index 6): the five records before it stand.
        let cutRecord = 6
        let cut = warc.offset(of: cutRecord) + warc.members[cutRecord].count / 2
        let path = try write(Array(warc.bytes[..<cut]), "cut.warc.gz", in: pm)
        let result = try pm.run(["import", path, "--json"])
        #expect(result.status == 1)
        let summary = try result.object()
        #expect(summary["created"] as? Int == 1, "the first capture, before the cut")
        let errors = try #require(summary["errors"] as? [[String: String]])
        #expect(errors.first?["reason"]?.hasPrefix("the archive is cut short in the record at offset \(warc.offset(of: cutRecord))") == true, "\(errors)")
    }

    @Test("a 2 GB archive is streamed: peak memory stays flat, and a page over --max-size is refused unread")
    func largeArchiveMemory() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        // One 50 MB record of zeros compressed once, repeated: 40 gzip members, 2 GB of WARC.
        var warc = WARCWriter()
        try warc.response("https://example.org/start.html", body: Self.page(title: "Start page", answer: "Where the crawl began."))
        let video = try warc.response("https://example.org/video.bin", headers: ["Content-Type: application/octet-stream"],
                                      body: [UInt8](repeating: 0, count: 50 << 20))
        for _ in 0..<39 { warc.append(raw: warc.members[video]) }
        // An HTML page of 30 MB (over the default 20 MB limit) is named, not loaded.
        let huge = Array("<!DOCTYPE html><html><body>".utf8) + [UInt8](repeating: 0x20, count: 30 << 20) + Array("</body></html>".utf8)
        try warc.response("https://example.org/huge.html", body: huge)
        try warc.response("https://example.org/end.html", body: Self.page(title: "End page", answer: "Where the crawl ended."))
        let path = try write(warc.bytes, "big.warc.gz", in: pm)
        let small = try write(try Self.crawl().bytes, "small.warc.gz", in: pm)

        let baseline = try pm.peakMemory(["--db", pm.directory.appendingPathComponent("small.sqlite").path, "import", small])
        let measured = try pm.peakMemory(["--db", pm.storePath, "import", path, "--json"])
        #expect(baseline.status == 0)
        #expect(measured.status == 1, "the 30 MB page is an error")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(measured.stdout.utf8)) as? [String: Any])
        #expect(summary["created"] as? Int == 2)
        #expect(summary["records_skipped"] as? [String: Int] == ["not HTML": 40])
        let errors = try #require(summary["errors"] as? [[String: String]])
        #expect(errors.count == 1 && errors.first?["reason"]?.contains("larger than the 20000000-byte limit") == true, "\(errors)")
        // Holding one 50 MB record, let alone the archive, would show here.
        #expect(measured.kib < 100 * 1024, "peak \(measured.kib) KiB importing 2 GB (baseline \(baseline.kib) KiB)")
        #expect(measured.kib - baseline.kib < 30 * 1024, "peak \(measured.kib) KiB importing 2 GB, \(baseline.kib) KiB for the small crawl")
        print("WARC import peak RSS: \(measured.kib) KiB for 2 GB (\(try FileManager.default.attributesOfItem(atPath: path)[.size] ?? 0) bytes compressed); \(baseline.kib) KiB for the small crawl")
    }
}
