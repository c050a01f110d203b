import Foundation
import Testing

/// `pmcms export wxr` read back by WordPress's own importer: every parser the WordPress Importer
/// plugin ships (`Tests/Fixtures/wordpress-importer`, run with Debian's php-cli and php-xml)
/// must find every exported entry as a post with its title, status, dates, slug, content and meta.
@Suite("export wxr, read by the WordPress Importer")
struct WXRExportTests {
    static let fixtures = ImportTests.fixtures
    static let parseScript = fixtures.appendingPathComponent("wordpress-importer/parse-wxr.php").path
    static let php = "/usr/bin/php"
    /// The importer's parsers: SimpleXML (its first choice), expat, its XML processor and the
    /// regular-expression fallback it keeps for broken files.
    static let parsers = ["simplexml", "xml", "xmlprocessor", "regex"]

    /// The sample site, plus entries in every other status, one of them with text that XML and
    /// CDATA must carry exactly.
    func store() throws -> PMCMSRun {
        let run = try PMCMSRun()
        try #require(try run.run(["import", ImportTests.site.path, "--base-url", "https://www.example.org"]).status == 0)
        try #require(try run.run(["config", "site.title", "PM Training FAQ"]).status == 0)
        try #require(try run.run(["config", "site.url", "https://www.example.org"]).status == 0)
        let hostile = #"Is "]]>" <b>safe</b> & sound — ünïcode?"#
        try #require(try run.run(["new", "--kind", "question", "--title", hostile, "--set", "body=Keep ]]> and <i>tags</i> & *emphasis*.\n\nSecond ]]]]> paragraph."]).status == 0)
        try #require(try run.run(["new", "--kind", "article", "--title", "Waiting for review", "--set", "summary=A card in review."]).status == 0)
        try #require(try run.run(["submit", "waiting-for-review"]).status == 0)
        try #require(try run.run(["archive", "is-pmo-better-than-project-manager"]).status == 0)
        return run
    }

    func parse(_ file: String, with parser: String) throws -> [String: Any] {
        guard FileManager.default.isExecutableFile(atPath: Self.php) else {
            Issue.record("\(Self.php) is missing: apt-get install php-cli php-xml (the WXR consumer test needs WordPress's parser)")
            return [:]
        }
        let result = try PMCMSRun.tool(Self.php, [Self.parseScript, file, parser])
        try #require(result.status == 0, "\(parser): \(result.stderr)")
        return try #require(try result.json() as? [String: Any])
    }

    @Test(arguments: parsers)
    func everyEntryIsAPost(parser: String) throws {
        let run = try store()
        defer { run.cleanup() }
        let export = try run.run(["export", "wxr", "--all", "--post-type", "faq", "--out", "wordpress.xml"])
        try #require(export.status == 0, "\(export.stderr)")
        let parsed = try parse(run.directory.appendingPathComponent("wordpress.xml").path, with: parser)
        guard !parsed.isEmpty else { return }
        #expect(parsed["version"] as? String == "1.2")
        #expect(parsed["base_url"] as? String == "https://www.example.org")

        let document = try run.run(["export", "json", "--all"]).object()
        let entries = try #require(document["entries"] as? [[String: Any]])
        let posts = try #require(parsed["posts"] as? [[String: Any]])
        #expect(entries.count > 10, "the sample site and the added entries")
        #expect(posts.count == entries.count)
        let postsByID = Dictionary(posts.map { (String(describing: $0["post_id"] ?? ""), $0) }, uniquingKeysWith: { a, _ in a })
        for entry in entries {
            let id = try #require(entry["id"] as? Int)
            let slug = try #require(entry["slug"] as? String)
            guard let post = postsByID[String(id)] else {
                Issue.record("\(parser): no post for entry \(id) (\(slug))")
                continue
            }
            #expect(post["post_title"] as? String == entry["title"] as? String, "\(parser) \(slug)")
            #expect(post["post_name"] as? String == slug, "\(parser) \(slug)")
            #expect(post["post_content"] as? String == entry["body_html"] as? String, "\(parser) \(slug)")
            #expect(post["post_excerpt"] as? String == (entry["summary"] as? String ?? ""), "\(parser) \(slug)")
            let kind = entry["kind"] as? String
            #expect(post["post_type"] as? String == (kind == "question" ? "faq" : "post"), "\(parser) \(slug)")
            let expectedStatus = ["published": "publish", "in_review": "pending", "approved": "pending", "draft": "draft", "archived": "draft"][entry["status"] as? String ?? ""]
            #expect(post["status"] as? String == expectedStatus, "\(parser) \(slug)")
            // The post date is the reader-facing edit date, else publication, else the last change.
            let edited = (entry["edited_at"] as? String) ?? (entry["published_at"] as? String) ?? (entry["updated_at"] as? String) ?? ""
            #expect(post["post_date_gmt"] as? String == Self.wordPressDate(edited), "\(parser) \(slug)")
            #expect(post["post_date"] as? String == Self.wordPressDate(edited), "\(parser) \(slug)")
            let meta = Dictionary(((post["postmeta"] as? [[String: Any]]) ?? []).map { ($0["key"] as? String ?? "", $0["value"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
            #expect(meta["_pmcms_id"] == String(id), "\(parser) \(slug)")
            #expect(meta["_pmcms_revision"] == String(entry["revision"] as? Int ?? -1), "\(parser) \(slug)")
            let terms = (post["terms"] as? [[String: Any]]) ?? []
            #expect(terms.contains { $0["domain"] as? String == "category" && $0["slug"] as? String == kind }, "\(parser) \(slug): \(terms)")
        }
        // The text with `]]>`, markup and non-ASCII arrives exactly.
        let hostile = try #require(posts.first { ($0["post_title"] as? String)?.hasPrefix("Is \"]]>\"") == true })
        #expect(hostile["post_title"] as? String == #"Is "]]>" <b>safe</b> & sound — ünïcode?"#)
        #expect((hostile["post_content"] as? String)?.contains("Second ]]]]&gt; paragraph.") == true)
    }

    @Test func publishedOnlyByDefaultAndSettingsRequired() throws {
        let run = try store()
        defer { run.cleanup() }
        let export = try run.run(["export", "wxr"])
        try #require(export.status == 0, "\(export.stderr)")
        let file = run.directory.appendingPathComponent("default.xml")
        try Data(export.stdout.utf8).write(to: file)
        let parsed = try parse(file.path, with: "simplexml")
        guard !parsed.isEmpty else { return }
        let posts = try #require(parsed["posts"] as? [[String: Any]])
        let published = try #require(try run.run(["list", "--status", "published", "--json"]).json() as? [Any])
        #expect(posts.count == published.count)
        #expect(posts.allSatisfy { $0["status"] as? String == "publish" && $0["post_type"] as? String == "post" })

        #expect(try run.run(["export", "csv", "--post-type", "faq"]).status == 2)
        #expect(try run.run(["export", "wxr", "--post-type", "Not A Type"]).status == 2)
        let bare = try PMCMSRun()
        defer { bare.cleanup() }
        try #require(try bare.run(["init"]).status == 0)
        let refused = try bare.run(["export", "wxr"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("site.title"))
    }

    static func wordPressDate(_ text: String) -> String {
        if text.count == 10 { return text + " 00:00:00" }
        return String(text.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
