import Foundation
import Testing

@Suite("End to end: import")
struct ImportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")
    static let site = fixtures.appendingPathComponent("site")
    static let realWorld = fixtures.appendingPathComponent("realworld")
    static let seedSlug = "is-pmo-more-senior-than-project-manager"

    /// A copy of the fixture site in the test's folder, to change pages in.
    func copySite(into pm: PMCMSRun) throws -> URL {
        let copy = pm.directory.appendingPathComponent("site")
        try FileManager.default.copyItem(at: Self.site, to: copy)
        return copy
    }

    @Test("the seed page gives its question, answer, date, 63 related and 12 articles in page order")
    func seedPage() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let result = try pm.run(["import", Self.site.path, "--base-url", "https://www.example.org"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" 0 errors"))
        let entry = try pm.run(["show", Self.seedSlug, "--json"]).object()
        #expect(entry["title"] as? String == "Is PMO more senior than project manager?")
        #expect((entry["body"] as? String)?.hasPrefix("A project manager typically focuses on delivering specific projects") == true)
        #expect((entry["body"] as? String)?.contains("deliver effective value.") == true)
        #expect(entry["edited_at"] as? String == "2026-06-09")
        #expect(entry["status"] as? String == "published")
        #expect(entry["source_url"] as? String == "https://www.example.org/faq/is-pmo-more-senior-than-project-manager")
        let related = try #require(entry["related"] as? [[String: Any]])
        #expect(related.count == 63)
        #expect(related.first?["title"] as? String == "Am I qualified to be a project manager?")
        #expect(related.last?["title"] as? String == "Which certification is good for a project manager?")
        #expect(!related.contains { $0["title"] as? String == "Is PMO more senior than project manager?" })
        // Pages of the fixture site that were imported resolve to their entries.
        #expect(related.first?["slug"] as? String == "am-i-qualified-to-be-a-project-manager")
        let articles = try #require(entry["articles"] as? [[String: Any]])
        #expect(articles.count == 12)
        #expect(articles.first?["title"] as? String == "Project portfolio management tools")
        #expect(articles.first?["summary"] as? String == "Explore the features of different project portfolio management tools and how to choose the right one for your needs. Read on for a detailed guide.")
        #expect(articles.last?["title"] as? String == "How to become a project management consultant")
        #expect(articles.allSatisfy { $0["slug"] is String })
    }

    @Test("re-importing the same folder creates and updates nothing")
    func idempotent() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["import", Self.site.path, "--base-url", "https://www.example.org"]).status == 0)
        let revisions = try pm.query("SELECT COUNT(*) FROM revision;").stdout
        let again = try pm.run(["import", Self.site.path, "--base-url", "https://www.example.org", "--json"])
        let summary = try again.object()
        #expect(summary["created"] as? Int == 0)
        #expect(summary["updated"] as? Int == 0)
        #expect((summary["files_skipped"] as? Int ?? 0) > 0)
        #expect(try pm.query("SELECT COUNT(*) FROM revision;").stdout == revisions)
    }

    @Test("a changed page updates an unedited entry, and after an edit keeps the edit and reports a conflict")
    func changedPageAndConflict() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let copy = try copySite(into: pm)
        #expect(try pm.run(["import", copy.path]).status == 0)
        let page = copy.appendingPathComponent("faq/\(Self.seedSlug).html")
        let original = try String(contentsOf: page, encoding: .utf8)
        try original.replacingOccurrences(of: "deliver effective value.", with: "deliver lasting value.")
            .write(to: page, atomically: true, encoding: .utf8)
        let update = try pm.run(["import", copy.path, "--json"]).object()
        #expect(update["updated"] as? Int == 1)
        #expect((try pm.run(["show", Self.seedSlug, "--json"]).object()["body"] as? String)?.contains("lasting value") == true)

        #expect(try pm.run(["edit", Self.seedSlug, "--body-file", "-", "-m", "our own answer"], input: "The editor's answer.").status == 0)
        try original.replacingOccurrences(of: "deliver effective value.", with: "deliver measurable value.")
            .write(to: page, atomically: true, encoding: .utf8)
        let conflict = try pm.run(["import", copy.path])
        #expect(conflict.status == 0)
        #expect(conflict.stdout.contains("1 conflict"), "\(conflict.stdout)")
        #expect(conflict.stdout.contains("pmcms diff \(Self.seedSlug)"))
        #expect(try pm.run(["show", Self.seedSlug, "--json"]).object()["body"] as? String == "The editor's answer.")
        let history = try pm.run(["history", Self.seedSlug])
        #expect(history.stdout.contains("upstream"))
        let check = try pm.run(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("import-conflict"))
    }

    @Test("a folder with an empty file, a binary file and a good page imports the page, names both bad files, exits 1")
    func badFiles() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let folder = pm.directory.appendingPathComponent("mixed")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["empty.html", "binary.html"] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("bad/\(name)"), to: folder.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: Self.site.appendingPathComponent("faq/\(Self.seedSlug).html"), to: folder.appendingPathComponent("good.html"))
        let result = try pm.run(["import", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("pmcms: error: ") && result.stderr.contains("empty.html: the file is empty"))
        #expect(result.stderr.contains("binary.html: the file is not text"))
        #expect(result.stdout.contains("2 errors"))
        #expect(try pm.run(["show", Self.seedSlug]).status == 0)
        #expect(try pm.run(["import", pm.directory.appendingPathComponent("nothing-here").path]).stderr.contains("no such file or folder"))
    }

    @Test("hostile markup never reaches an entry")
    func hostile() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let result = try pm.run(["import", Self.fixtures.appendingPathComponent("hostile").path, "--base-url", "https://www.example.org"])
        #expect(result.status == 0, "\(result.stdout)")
        let listed = try pm.run(["list", "--json"]).stdout
        let shown = try #require(try pm.run(["list", "--json"]).json() as? [[String: Any]])
        #expect(!shown.isEmpty)
        for needle in ["<script", "javascript:", "onerror", "onload", "alert(", "<iframe", "expression(", "vbscript:"] {
            #expect(!listed.lowercased().contains(needle), "\(needle) reached the store")
        }
    }

    @Test("--dry-run reports and writes nothing; - reads standard input; --status sets new entries' status")
    func flags() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let dry = try pm.run(["import", Self.site.path, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("dry run"))
        if FileManager.default.fileExists(atPath: pm.storePath) {
            let listed = try pm.run(["list", "--json"]).json() as? [Any]
            #expect(listed?.isEmpty == true)
        }
        let page = try String(contentsOf: Self.site.appendingPathComponent("faq/\(Self.seedSlug).html"), encoding: .utf8)
        let piped = try pm.run(["import", "-", "--status", "draft"], input: page)
        #expect(piped.status == 0, "\(piped.stdout)\(piped.stderr)")
        #expect(try pm.run(["show", Self.seedSlug, "--json"]).object()["status"] as? String == "draft")
        #expect(try pm.run(["import", "--base-url", "not-a-url", Self.site.path]).status == 2)
    }

    @Test("the 24 real-world pages import without a crash, each as an article with a title")
    func realWorld() throws {
        guard FileManager.default.fileExists(atPath: Self.realWorld.path) else {
            Issue.record("the real-world fixture pages are missing: \(Self.realWorld.path)")
            return
        }
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let result = try pm.run(["import", Self.realWorld.path, "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let summary = try result.object()
        #expect(summary["pages_read"] as? Int == 24)
        let entries = try #require(try pm.run(["list", "--kind", "article", "--json"]).json() as? [[String: Any]])
        #expect(entries.count >= 24)
        #expect(entries.allSatisfy { !(($0["title"] as? String) ?? "").isEmpty })
        #expect(try pm.run(["verify"]).status == 0)
    }
}
