import Foundation
import Testing
import TestBackends

/// A page's identity never depends on how it was reached (issue 13 item 1), and only HTML is
/// imported (issue 13 item 5; issue 14 item 9's empty answers).
@Suite("End to end: import identity")
struct ImportIdentityTests {
    static let base = "https://www.example.org"

    static func article(_ title: String, _ text: String, canonical: String? = nil) -> String {
        let link = canonical.map { "<link rel=\"canonical\" href=\"\($0)\">" } ?? ""
        return "<!DOCTYPE html><html><head><meta property=\"og:type\" content=\"article\">\(link)</head><body><h1>\(title)</h1><p>\(text)</p></body></html>"
    }

    static let budget = article("How to plan a project budget",
        "Budgets start with a work breakdown structure, then an estimate for each work package, then a contingency reserve agreed with the sponsor.")
    static let retro = article("Agile retrospectives explained",
        "A retrospective is a meeting held at the end of an iteration in which the team reflects on what went well and what to change next time.")

    func write(_ text: String, to path: String, in pm: PMCMSRun) throws -> URL {
        let url = pm.directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func count(_ pm: PMCMSRun, _ table: String) throws -> String {
        try pm.query("SELECT COUNT(*) FROM \(table);").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("two different pages named source.html in two folders, without canonical or --base-url, are two entries")
    func sameFileNameInTwoFolders() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let a = try write(Self.budget, to: "a/source.html", in: pm)
        let b = try write(Self.retro, to: "b/source.html", in: pm)
        #expect(try pm.run(["import", a.path]).status == 0)
        let second = try pm.run(["import", b.path, "--json"])
        #expect(second.status == 0, "\(second.stdout)")
        #expect(try second.object()["created"] as? Int == 1)
        #expect(try count(pm, "entry") == "2")
        #expect(try count(pm, "revision") == "2")
        // The same file reached from another folder is the same page.
        let again = try pm.run(["import", pm.directory.path, "--json"]).object()
        #expect(again["created"] as? Int == 0)
        #expect(try count(pm, "entry") == "2")
        let keys = try pm.query("SELECT import_key FROM entry ORDER BY id;").stdout
        #expect(keys.contains("file://") && keys.contains("/a/source.html") && keys.contains("/b/source.html"), "\(keys)")
    }

    @Test("standard input without a canonical URL needs --url; two such pages never collide as 'stdin'")
    func standardInputNeedsAnAddress() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let refused = try pm.run(["import", "-"], input: Self.budget)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--url"), "\(refused.stderr)")
        let entries = FileManager.default.fileExists(atPath: pm.storePath) ? try count(pm, "entry") : "0"
        #expect(entries == "0")
        #expect(try pm.run(["import", "-", "--url", "\(Self.base)/budget"], input: Self.budget).status == 0)
        #expect(try pm.run(["import", "-", "--url", "\(Self.base)/retro"], input: Self.retro).status == 0)
        #expect(try count(pm, "entry") == "2")
        // A canonical URL is identity enough.
        let canonical = Self.article("Kanban boards", "A kanban board shows work in progress as cards moving across columns.", canonical: "\(Self.base)/kanban")
        #expect(try pm.run(["import", "-"], input: canonical).status == 0)
        #expect(try count(pm, "entry") == "3")
        #expect(try pm.run(["import", "-", "--url", "/relative"], input: Self.budget).status == 2)
    }

    @Test("with --base-url, a folder inside the recorded site root gives its pages the same identities")
    func siteRootIsRecorded() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        _ = try write(Self.budget, to: "site/legacy/budget.html", in: pm)
        _ = try write(Self.retro, to: "site/retro.html", in: pm)
        let site = pm.directory.appendingPathComponent("site"), legacy = site.appendingPathComponent("legacy")
        #expect(try pm.run(["import", site.path, "--base-url", Self.base]).status == 0)
        let keys = try pm.query("SELECT import_key FROM entry ORDER BY import_key;").stdout
        #expect(keys == "\(Self.base)/legacy/budget.html\n\(Self.base)/retro.html\n")
        // Changed, so that it is read rather than skipped as an unchanged file.
        _ = try write(Self.budget.replacingOccurrences(of: "the sponsor", with: "the project sponsor"), to: "site/legacy/budget.html", in: pm)
        let again = try pm.run(["import", legacy.path, "--base-url", Self.base, "--json"])
        #expect(again.status == 0, "\(again.stdout)")
        #expect(try again.object()["created"] as? Int == 0)
        #expect(try again.object()["updated"] as? Int == 1)
        #expect(try count(pm, "entry") == "2")

        // The other way round: the inner folder first, then the folder holding it, is refused
        // unless --root says which folder the base URL stands for.
        let other = try PMCMSRun()
        defer { other.cleanup() }
        #expect(try other.run(["import", legacy.path, "--base-url", Self.base]).status == 0)
        let refused = try other.run(["import", site.path, "--base-url", Self.base])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--root"), "\(refused.stderr)")
        #expect(try count(other, "entry") == "1")
    }

    @Test("a path-only identity that would replace an entirely different page is a collision; a revised page is a revision")
    func collision() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let page = try write(Self.budget, to: "site/page.html", in: pm)
        let site = page.deletingLastPathComponent().path
        #expect(try pm.run(["import", site, "--base-url", Self.base]).status == 0)
        try Self.retro.write(to: page, atomically: true, encoding: .utf8)
        let collided = try pm.run(["import", site, "--base-url", Self.base])
        #expect(collided.status == 1)
        #expect(collided.stderr.contains("collision"), "\(collided.stderr)")
        #expect(try count(pm, "revision") == "1")
        #expect(try pm.run(["show", "how-to-plan-a-project-budget", "--json"]).object()["title"] as? String == "How to plan a project budget")
        // A revised page (new title, most of its text kept) is the same page.
        let revised = Self.budget.replacingOccurrences(of: "How to plan a project budget", with: "Planning a project budget")
            .replacingOccurrences(of: "</p>", with: " Review it monthly.</p>")
        try revised.write(to: page, atomically: true, encoding: .utf8)
        let updated = try pm.run(["import", site, "--base-url", Self.base, "--json"])
        #expect(updated.status == 0, "\(updated.stdout)")
        #expect(try updated.object()["updated"] as? Int == 1)
    }

    @Test("only HTML is imported, by content: README.md and a text file named .html are per-file errors")
    func onlyHTML() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let markdown = try write("# pmcms\n\nA versioned content store.\n", to: "README.md", in: pm)
        let text = try write("Just notes, saved with the wrong name.\n", to: "docs/notes.html", in: pm)
        let good = try write(Self.budget, to: "docs/page.html", in: pm)
        let result = try pm.run(["import", markdown.path, text.deletingLastPathComponent().path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("README.md: the file is not an HTML page"), "\(result.stderr)")
        #expect(result.stderr.contains("notes.html: the file is not an HTML page"), "\(result.stderr)")
        #expect(result.stdout.contains("2 errors"))
        _ = good
        #expect(try count(pm, "entry") == "1")
    }

    @Test("a page whose answer comes out empty is an error, not an empty published entry")
    func emptyAnswer() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let page = try write("<html><body><h1>Where did the answer go?</h1><script>document.write('hidden')</script></body></html>", to: "q.html", in: pm)
        let result = try pm.run(["import", page.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no answer text"), "\(result.stderr)")
        #expect(try count(pm, "entry") == "0")
    }
}

@Suite("End to end: verify on a damaged store")
struct CorruptStoreTests {
    @Test("damaged pages or header: 'corrupt store: …' with what could be checked, exit 1, JSON shape kept, never a raw error", .sqliteOnly("damaged SQLite pages and header"))
    func corrupt() throws {
        let pm = try PMCMSRun()
        defer { try? FileManager.default.removeItem(at: pm.directory) }  // the damaged stores fail verify on purpose
        let site = ImportTests.site.path
        #expect(try pm.run(["import", site, "--base-url", "https://www.example.org"]).status == 0)
        #expect(try pm.run(["verify"]).status == 0)
        let sound = try Data(contentsOf: URL(fileURLWithPath: pm.storePath))
        let pageSize = 4096, pages = sound.count / pageSize
        var lastPages = sound
        lastPages.replaceSubrange((pages - 6) * pageSize..<(pages - 4) * pageSize, with: Data(count: 2 * pageSize))
        var header = sound
        header.replaceSubrange(0..<16, with: Data(count: 16))
        // A zeroed header is no longer an SQLite file at all: said as such, on standard error.
        let headerPath = pm.directory.appendingPathComponent("header.sqlite").path
        try header.write(to: URL(fileURLWithPath: headerPath))
        let noStore = try pm.run(["--db", headerPath, "verify"])
        #expect(noStore.status == 1 && noStore.stderr.contains("no pmcms store at"), "\(noStore.stdout)\(noStore.stderr)")
        #expect(!noStore.stderr.contains("SQLite error") && !noStore.stderr.contains("DecodingError"))
        for (name, bytes) in [("pages.sqlite", lastPages)] {
            let path = pm.directory.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: path))
            let text = try pm.run(["--db", path, "verify"])
            #expect(text.status == 1, "\(name)")
            #expect(text.stdout.hasPrefix("corrupt store: "), "\(name): \(text.stdout)\(text.stderr)")
            #expect(!(text.stdout + text.stderr).contains("DecodingError") && !(text.stdout + text.stderr).contains("Error Domain"), "\(name)")
            let json = try pm.run(["--db", path, "verify", "--json"])
            #expect(json.status == 1)
            let object = try json.object()
            #expect(Set(object.keys) == ["entries", "revisions", "problems"], "\(name)")
            #expect((object["problems"] as? [String])?.allSatisfy { $0.hasPrefix("corrupt store: ") } == true, "\(name): \(json.stdout)")
        }
    }
}
