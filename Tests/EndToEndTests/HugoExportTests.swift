import Foundation
import Testing

/// `pmcms export hugo DIR` built by Hugo itself (Debian's `hugo`) with the small layout in
/// `Tests/Fixtures/hugo-site`: every exported entry becomes a built page with its title and
/// body, and its related questions and cards link to built pages.
@Suite("export hugo, built by Hugo")
struct HugoExportTests {
    static let hugo = "/usr/bin/hugo"
    static let siteFixture = ImportTests.fixtures.appendingPathComponent("hugo-site")

    /// The sample site imported, a Hugo site beside it; returns the run and the site folder.
    func prepare() throws -> (PMCMSRun, URL) {
        let run = try PMCMSRun()
        try #require(try run.run(["import", ImportTests.site.path, "--base-url", "https://www.example.org"]).status == 0)
        try #require(try run.run(["config", "site.url", "https://www.example.org"]).status == 0)
        let site = run.directory.appendingPathComponent("site")
        try FileManager.default.copyItem(at: Self.siteFixture, to: site)
        return (run, site)
    }

    func build(_ site: URL) throws -> PMCMSRun.Result? {
        guard FileManager.default.isExecutableFile(atPath: Self.hugo) else {
            Issue.record("\(Self.hugo) is missing: apt-get install hugo (the Hugo consumer test builds the exported site with it)")
            return nil
        }
        return try PMCMSRun.tool(Self.hugo, ["--source", site.path, "--destination", site.appendingPathComponent("public").path])
    }

    /// Plain words of an HTML fragment, for comparing text that two Markdown renderers (cmark,
    /// Hugo's Goldmark with its typographer) punctuate differently.
    static func words(_ html: String) -> [String] {
        let text = html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "&[#a-zA-Z0-9]+;", with: " ", options: .regularExpression)
        return text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    static func unescape(_ html: String) -> String {
        var text = html
        for (entity, character) in [("&#34;", "\""), ("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    @Test func hugoBuildsEveryEntryWithWorkingLinks() throws {
        let (run, site) = try prepare()
        defer { run.cleanup() }
        let content = site.appendingPathComponent("content").path
        let export = try run.run(["export", "hugo", content])
        try #require(export.status == 0, "\(export.stderr)")
        guard let built = try build(site) else { return }
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
        #expect(!built.stderr.contains("ERROR") && !built.stdout.contains("ERROR"), "\(built.stderr)")

        let entries = try #require(try run.run(["export", "json"]).object()["entries"] as? [[String: Any]])
        #expect(entries.count > 10)
        let public_ = site.appendingPathComponent("public")
        var linksChecked = 0
        for entry in entries {
            let slug = try #require(entry["slug"] as? String)
            let section = entry["kind"] as? String == "question" ? "questions" : "articles"
            let page = public_.appendingPathComponent("\(section)/\(slug)/index.html")
            guard let html = try? String(contentsOf: page, encoding: .utf8) else {
                Issue.record("Hugo built no page for \(slug) at \(page.path)")
                continue
            }
            let title = html.firstMatch(of: #/<h1 class="title">(.*?)</h1>/#).map { Self.unescape(String($0.1)) }
            #expect(title == entry["title"] as? String, "\(slug)")
            let bodyWords = Self.words(entry["body_html"] as? String ?? "")
            let builtWords = Self.words(html)
            let opening = Array(bodyWords.prefix(12))
            #expect(opening.isEmpty || builtWords.indices.contains { builtWords[$0...].starts(with: opening) }, "\(slug): body text missing")
            // Every related question and card that is a page of the export links to a built page.
            let resolved = html.matches(of: #/<a class="resolved" href="([^"]+)">/#).map { String($0.1) }
            #expect(!html.contains(#"class="unresolved""#), "\(slug) names a page Hugo does not have")
            let linkedSlugs = ((entry["related"] as? [[String: Any]] ?? []) + (entry["articles"] as? [[String: Any]] ?? []))
                .compactMap { $0["slug"] as? String }
            #expect(resolved.count == linkedSlugs.count, "\(slug): \(resolved.count) links built, \(linkedSlugs.count) in the store")
            for href in resolved {
                let target = public_.appendingPathComponent(href).appendingPathComponent("index.html")
                #expect(FileManager.default.fileExists(atPath: target.path), "\(slug) links \(href), which Hugo did not build")
                linksChecked += 1
            }
        }
        #expect(linksChecked > 20, "the seed question alone links 5 questions and 12 cards")
        // The old address of an imported page redirects to its new one.
        let alias = public_.appendingPathComponent("faq/is-pmo-more-senior-than-project-manager/index.html")
        #expect((try? String(contentsOf: alias, encoding: .utf8))?.contains("/questions/is-pmo-more-senior-than-project-manager/") == true)
    }

    @Test func reExportWritesOnlyChangesAndRemovesOnlyItsOwnFiles() throws {
        let (run, site) = try prepare()
        defer { run.cleanup() }
        let content = site.appendingPathComponent("content")
        try #require(try run.run(["export", "hugo", content.path]).status == 0)
        // A file of the site's own, in a section pmcms writes to.
        let own = content.appendingPathComponent("questions/_index.md")
        try "---\ntitle: All questions\n---\n".write(to: own, atomically: true, encoding: .utf8)
        let again = try run.run(["export", "hugo", content.path])
        #expect(again.status == 0)
        let total = try #require(try run.run(["list", "--status", "published", "--json"]).json() as? [Any]).count
        #expect(again.stdout.contains("(hugo: 0 written, \(total) unchanged, 0 removed)"), "\(again.stdout)")

        try #require(try run.run(["archive", "is-pmo-better-than-project-manager"]).status == 0)
        let third = try run.run(["export", "hugo", content.path])
        #expect(third.status == 0)
        #expect(third.stdout.contains("1 removed"), "\(third.stdout)")
        #expect(!FileManager.default.fileExists(atPath: content.appendingPathComponent("questions/is-pmo-better-than-project-manager.md").path))
        #expect(FileManager.default.fileExists(atPath: own.path), "a file pmcms did not write is never removed")
        // Pages that linked the archived question now name it as a link elsewhere, not a page.
        let seed = try String(contentsOf: content.appendingPathComponent("questions/is-pmo-more-senior-than-project-manager.md"), encoding: .utf8)
        #expect(!seed.contains("- is-pmo-better-than-project-manager\n"))
        if let built = try build(site) {
            #expect(built.status == 0, "\(built.stderr)")
        }
    }

    @Test func neverWritesOutsideTheFolder() throws {
        let (run, site) = try prepare()
        defer { run.cleanup() }
        let outside = run.directory.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let content = site.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        // A section folder that is a link out of the tree is refused, and nothing is written.
        try FileManager.default.createSymbolicLink(at: content.appendingPathComponent("questions"), withDestinationURL: outside)
        let refused = try run.run(["export", "hugo", content.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("questions"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)

        // A file that is a link out of the tree is replaced by the page, not written through.
        try FileManager.default.removeItem(at: content.appendingPathComponent("questions"))
        try FileManager.default.createDirectory(at: content.appendingPathComponent("articles"), withIntermediateDirectories: true)
        let victim = outside.appendingPathComponent("victim.txt")
        try "keep me".write(to: victim, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: content.appendingPathComponent("articles/what-is-prince2-agile.md"), withDestinationURL: victim)
        let written = try run.run(["export", "hugo", content.path])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me")
        let page = try String(contentsOf: content.appendingPathComponent("articles/what-is-prince2-agile.md"), encoding: .utf8)
        #expect(page.hasPrefix("---\ntitle: "))

        // Usage errors: no folder, a folder for a stream format, --since.
        #expect(try run.run(["export", "hugo"]).status == 2)
        #expect(try run.run(["export", "json", content.path]).status == 2)
        #expect(try run.run(["export", "hugo", content.path, "--since", "2026-01-01"]).status == 2)
    }
}
