import Foundation
import Testing
import TestBackends

/// The rough edges a new user meets: times, search input, revision names, messages.
@Suite("End to end: CLI conventions")
struct CLIConventionsTests {
    @Test("a time with an offset is stored in UTC, and sorts by the moment it names")
    func timeZones() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Early?", "--set", "edited_at=2026-12-01T01:00:00+05:00"]).status == 0)
        #expect(try pm.run(["new", "--kind", "question", "--title", "Late?", "--set", "edited_at=2026-11-30T21:00:00Z"]).status == 0)
        #expect(try pm.run(["new", "--kind", "question", "--title", "Day?", "--set", "edited_at=2026-11-29"]).status == 0)
        #expect(try pm.run(["edit", "3", "--set", "edited_at=2026-11-29T23:30:00-01:00"]).status == 0)
        let early = try pm.run(["show", "early", "--json"]).object()
        #expect(early["edited_at"] as? String == "2026-11-30T20:00:00Z")
        #expect(try pm.run(["show", "late", "--json"]).object()["edited_at"] as? String == "2026-11-30T21:00:00Z")
        #expect(try pm.run(["show", "day", "--json"]).object()["edited_at"] as? String == "2026-11-30T00:30:00Z")
        #expect(try pm.run(["edit", "3", "--set", "edited_at=2026-11-28"]).status == 0)
        #expect(try pm.run(["show", "day", "--json"]).object()["edited_at"] as? String == "2026-11-28")
        let sorted = try pm.run(["list", "--sort", "edited", "--json"]).json() as? [[String: Any]] ?? []
        #expect(sorted.compactMap { $0["slug"] as? String } == ["late", "early", "day"])
    }

    @Test("search takes what people type: punctuation inside words, quotes, c++; operators only when meant")
    func searchAsTyped() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        try pm.run(["new", "--kind", "question", "--title", "Can non-IT people manage projects?", "--body-file", "-"], input: "Yes: what's needed is C++ or none.")
        try pm.run(["new", "--kind", "question", "--title", "Agile or not?", "--body-file", "-"], input: "IT teams and agile.")
        for query in [["non-IT"], ["\"what's\""], ["what's"], ["c++"], ["C++", "needed"], ["\"unclosed phrase"], ["manag*"], ["non-IT", "NOT", "agile"]] {
            let result = try pm.run(["search"] + query + ["--json"])
            #expect(result.status == 0, "\(query): \(result.stderr)")
            let slugs = (try? result.json() as? [[String: Any]])?.compactMap { $0["slug"] as? String }
            if query != ["\"unclosed phrase"] {
                #expect(slugs == ["can-non-it-people-manage-projects"], "\(query)")
            }
        }
        // Lower-case operator words are words.
        #expect(try pm.run(["search", "agile", "or", "not", "--json"]).json() as? [[String: Any]] != nil)
        for (query, message) in [(["NOT", "agile"], "'NOT' needs words before it"), (["--", "+++"], "no words to search for")] {
            let result = try pm.run(["search"] + query)
            #expect(result.status == 2, "\(query)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("SQLite") && !result.stderr.contains("fts5"))
        }
        let long = try pm.run(["search", String(repeating: "word ", count: 300)])
        #expect(long.status == 2)
        #expect(long.stderr.contains("the limit is 1000"))
        let many = try pm.run(["search"] + (1...65).map { "w\($0)" })
        #expect(many.status == 2)
        #expect(many.stderr.contains("the limit is 64"))
    }

    /// Publishes a new question whose page is `url`; returns its slug.
    func publishedQuestion(_ pm: PMCMSRun, _ title: String, url: String, edited: String) throws {
        let made = try pm.run(["new", "--kind", "question", "--title", title, "--set", "source_url=\(url)", "--set", "edited_at=\(edited)", "--json"])
        let id = String(describing: try made.object()["id"] ?? "")
        for step in ["submit", "approve", "publish"] { #expect(try pm.run([step, id]).status == 0) }
    }

    @Test("export sitemap lists each page once, without fragments, with its newest lastmod")
    func sitemapPages() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["config", "site.url", "https://www.example.org"]).status == 0)
        try publishedQuestion(pm, "Kanban?", url: "https://www.example.org/faq/agile-questions#kanban", edited: "2026-05-01")
        try publishedQuestion(pm, "Other?", url: "https://www.example.org/faq/other", edited: "2026-05-02")
        try publishedQuestion(pm, "Scrum?", url: "https://www.example.org/faq/agile-questions#scrum", edited: "2026-06-01T10:00:00Z")
        let result = try pm.run(["export", "sitemap"])
        #expect(result.status == 0, "\(result.stderr)")
        let locs = result.stdout.components(separatedBy: "<loc>").dropFirst().compactMap { $0.components(separatedBy: "</loc>").first }
        #expect(locs.sorted() == ["https://www.example.org/faq/agile-questions", "https://www.example.org/faq/other"])
        #expect(!result.stdout.contains("#"))
        #expect(result.stdout.contains("<loc>https://www.example.org/faq/agile-questions</loc>\n    <lastmod>2026-06-01T10:00:00Z</lastmod>"), "\(result.stdout)")
    }

    @Test("list shows titles; diff of a revision with itself says no changes; show --rev takes every revision name")
    func revisionsAndColumns() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "What is a PMO?"]).status == 0)
        let listed = try pm.run(["list"])
        #expect(listed.stdout.contains("what-is-a-pmo  What is a PMO?"), "\(listed.stdout)")
        #expect(try pm.run(["submit", "1"]).status == 0)
        #expect(try pm.run(["approve", "1"]).status == 0)
        #expect(try pm.run(["publish", "1"]).status == 0)
        #expect(try pm.run(["edit", "1", "--set", "title=What is a PMO, really?"]).status == 0)
        let same = try pm.run(["diff", "1", "r4", "live"])
        #expect(same.status == 0)
        #expect(same.stdout.contains("no changes"), "\(same.stdout)")
        #expect(!same.stdout.contains("nothing before it"))
        for (name, title) in [("r2", "What is a PMO?"), ("2", "What is a PMO?"), ("live", "What is a PMO?"), ("latest", "What is a PMO, really?")] {
            let shown = try pm.run(["show", "1", "--rev", name, "--json"])
            #expect(shown.status == 0, "\(name): \(shown.stderr)")
            #expect((try? shown.object())?["title"] as? String == title, "\(name)")
        }
        let bad = try pm.run(["show", "1", "--rev", "yesterday"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("is not a revision"))
        #expect(try pm.run(["show", "1", "--rev", "upstream"]).stderr.contains("no upstream import revision"))
    }

    @Test("editing an entry in review says it went back to draft; --set body with --body-file is a usage error")
    func editInReview() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Q?"]).status == 0)
        #expect(try pm.run(["submit", "1"], env: ["PMCMS_AUTHOR": "ana"]).status == 0)
        let review = try #require(try pm.run(["review", "--json"]).json() as? [[String: Any]])
        #expect(review.first?["submitted_by"] as? String == "ana")
        #expect((review.first?["submitted_at"] as? String)?.hasSuffix("Z") == true)
        let edited = try pm.run(["edit", "1", "--set", "summary=Short."])
        #expect(edited.status == 0)
        #expect(edited.stdout.contains("back to draft and out of the review queue"), "\(edited.stdout)")
        #expect(try pm.run(["review"]).stdout.contains("nothing waits for review"))
        let both = try pm.run(["edit", "1", "--set", "body=A", "--body-file", "-"], input: "B")
        #expect(both.status == 2)
        #expect(both.stderr.contains("not both"))
        #expect(try pm.run(["show", "1", "--json"]).object()["body"] as? String == "")
    }

    @Test("terminal control characters in titles, authors, messages and file names are escaped; a newline cannot forge a line")
    func controlCharacters() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        // Input refuses C0 controls (ESC, BEL), but C1 ones (CSI, U+009B, which some terminals
        // obey like ESC [) and DEL are text, newlines are allowed in messages and authors, and
        // stores made before that check may hold anything: the output escapes them all.
        let author = "evil\nr9  forged"
        let made = try pm.run(["new", "--kind", "question", "--title", "Bad \u{9B}2J title\u{7F}", "-m", "one\nr9  2026-01-01 00:00:00Z  admin  forged"],
                              env: ["PMCMS_AUTHOR": author])
        #expect(made.status == 0, "\(made.stderr)")
        var outputs: [String] = []
        for command in [["show", "1"], ["history", "1"], ["log"], ["list"], ["search", "title"], ["blame", "1"]] {
            let result = try pm.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            outputs.append(result.stdout)
        }
        for output in outputs {
            #expect(!output.unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x7F }, "\(output.debugDescription)")
        }
        #expect(outputs[0].contains("Bad \\x9B2J title\\x7F"), "\(outputs[0])")
        #expect(outputs[1].contains("evil\\nr9"))
        #expect(outputs[1].contains("one\\nr9  2026-01-01"))
        #expect(outputs[1].split(separator: "\n").count == 1, "\(outputs[1])")
        #expect(outputs[2].split(separator: "\n").count == 1, "\(outputs[2])")
        // A file name with a newline and an escape, in an import error, stays on one line.
        let folder = pm.directory.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data().write(to: folder.appendingPathComponent("x\n  imported 9 pages: 9 created\u{1B}[2J.html"))
        let imported = try pm.run(["import", folder.path])
        #expect(imported.status == 1)
        #expect(!imported.stdout.contains("imported 9 pages") && !imported.stderr.contains("\n  imported 9"), "\(imported.stdout)")
        #expect(imported.stderr.contains("x\\n  imported 9 pages: 9 created\\e[2J.html"), "\(imported.stderr)")
    }

    @Test("long output goes through $PAGER only on a terminal: never when piped, never with --no-pager")
    func pager() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Paged?", "--body-file", "-"], input: "Body.").status == 0)
        let mark = pm.directory.appendingPathComponent("paged").path
        let env = ["PAGER": "touch '\(mark)'; cat"]
        for command in [["show", "1"], ["log"], ["diff", "1"], ["blame", "1"], ["check", "--full"], ["history", "1"]] {
            let piped = try pm.run(command, env: env)
            #expect(piped.status == 0, "\(command): \(piped.stderr)")
            #expect(!piped.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: mark), "\(command) used the pager while piped")
        }
        // On a terminal (script(1) gives one) the pager runs, unless --no-pager.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        func inTerminal(_ arguments: String) throws -> String {
            try pm.runInTerminal(arguments, env: env).stdout
        }
        let unpaged = try inTerminal("show 1 --no-pager")
        #expect(unpaged.contains("Paged?"))
        #expect(!FileManager.default.fileExists(atPath: mark))
        let paged = try inTerminal("show 1")
        #expect(paged.contains("Paged?"))
        #expect(FileManager.default.fileExists(atPath: mark))
    }

    @Test("errors: one prefix on stderr, exit 2 for any bad flag value, JSON with --json, did you mean")
    func errors() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "What is a PMO?"]).status == 0)
        // The same kind of mistake, the same exit code: a bad value given to a flag.
        for arguments in [["edit", "1", "--set", "colour=red"], ["edit", "1", "--set", "edited_at=yesterday"],
                          ["edit", "1", "--set", "source_url=not a url"], ["list", "--limit", "0"], ["list", "--kind", "poem"], ["list", "--bogus"]] {
            let result = try pm.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("pmcms: error: "), "\(arguments): \(result.stderr)")
        }
        // A negative count is a count, not an option: said as such.
        for command in [["list"], ["log"], ["review"], ["search", "pmo"]] {
            let negative = try pm.run(command + ["--limit", "-1"])
            #expect(negative.status == 2 && negative.stderr.hasPrefix("pmcms: error: --limit must be at least 1"), "\(command): \(negative.stderr)")
        }
        let typo = try pm.run(["lsit"])
        #expect(typo.status == 2)
        #expect(typo.stderr.hasPrefix("pmcms: error: 'lsit' is not a pmcms command; did you mean 'list'?"), "\(typo.stderr)")
        let missing = try pm.run(["show", "what-is-a-pmx"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("did you mean 'what-is-a-pmo'?"), "\(missing.stderr)")
        let json = try pm.run(["show", "nothing-like-it", "--json"])
        #expect(json.status == 1)
        #expect(json.stdout.isEmpty)
        let object = try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any]
        #expect((object?["error"] as? String)?.contains("no entry 'nothing-like-it'") == true, "\(json.stderr)")
        #expect(object?["exit_code"] as? Int == 1)
        let usage = try pm.run(["list", "--limit", "0", "--json"])
        #expect(usage.status == 2)
        #expect((try JSONSerialization.jsonObject(with: Data(usage.stderr.utf8)) as? [String: Any])?["exit_code"] as? Int == 2)
    }

    @Test("pmcms with no arguments prints help and exits 2; the top-level help shows --db and --author")
    func helpAndNoArguments() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let bare = try pm.run([])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("SUBCOMMANDS:"))
        let help = try pm.run(["--help"])
        #expect(help.status == 0)
        let options = help.stdout.components(separatedBy: "OPTIONS:").last ?? ""
        #expect(options.contains("--db <path>") && options.contains("--author <name>"), "\(help.stdout)")
        #expect(try pm.run(["--db", pm.storePath, "--author", "x"]).status == 2)
        let completion = try pm.run(["--generate-completion-script", "bash"])
        #expect(completion.status == 0 && completion.stdout.contains("pmcms"))
    }

    @Test("feed.url is the feed's self link; an undated entry sorts after dated ones with no pubDate of its own")
    func feeds() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        for (key, value) in [("site.title", "PM FAQ"), ("site.url", "https://www.example.org"), ("feed.url", "https://feeds.example.org/pm/all.rss")] {
            #expect(try pm.run(["config", key, value]).status == 0)
        }
        #expect(try pm.run(["config", "feed.url", "not a url"]).status != 0)
        try publishedQuestion(pm, "Dated?", url: "https://www.example.org/faq/dated", edited: "2026-01-01")
        // An undated entry, published much later (as an import of an undated page is).
        #expect(try pm.run(["new", "--kind", "question", "--title", "Undated?"]).status == 0)
        #expect(try pm.run(["edit", "undated", "--set", "edited_at="]).status == 0)
        for step in ["submit", "approve", "publish"] { #expect(try pm.run([step, "undated"], env: ["PMCMS_NOW": "2026-11-30T10:00:00Z"]).status == 0) }
        #expect(try pm.run(["show", "undated", "--json"]).object()["edited_at"] is NSNull)
        let rss = try pm.run(["export", "rss", "--out", "feed.xml"])
        #expect(rss.status == 0, "\(rss.stderr)")
        let text = try String(contentsOf: pm.directory.appendingPathComponent("feed.xml"), encoding: .utf8)
        #expect(text.contains("<atom:link href=\"https://feeds.example.org/pm/all.rss\" rel=\"self\""), "\(text)")
        let titles = text.components(separatedBy: "<title>").dropFirst(2).compactMap { $0.components(separatedBy: "</title>").first }
        #expect(titles == ["Dated?", "Undated?"])
        #expect(!text.contains("30 Nov 2026 10:00:00"), "the publication time is not the undated entry's date")
    }

    @Test("every command that reads a store takes --db after its name, from any folder, with $PMCMS_DB unset; log --author filters")
    func dbAfterTheCommand() throws {
        var pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Mine?"], env: ["PMCMS_AUTHOR": "sam"]).status == 0)
        #expect(try pm.run(["new", "--kind", "question", "--title", "Theirs?"], env: ["PMCMS_AUTHOR": "kim"]).status == 0)
        // The store under another name, and nothing that could point at it but --db: the folder
        // the commands run in has no ./pmcms.sqlite, and $PMCMS_DB is gone.
        // (A PostgreSQL store keeps its address.)
        var elsewhere = pm.storePath
        if !pm.storePath.hasPrefix("postgres") {
            elsewhere = pm.directory.appendingPathComponent("elsewhere.sqlite").path
            try FileManager.default.moveItem(atPath: pm.storePath, toPath: elsewhere)
        }
        pm.environment.removeValue(forKey: "PMCMS_DB")
        let commands: [[String]] = [
            ["list"], ["show", "mine"], ["history", "mine"], ["diff", "mine"], ["blame", "mine"], ["log"],
            ["review"], ["search", "mine"], ["verify"], ["export", "json"], ["export", "csv"], ["user", "list"],
            ["publish-due", "--dry-run"],
        ]
        for command in commands {
            let result = try pm.run(command + ["--db", elsewhere])
            #expect(result.status == 0, "pmcms \(command.joined(separator: " ")) --db: \(result.stderr)")
        }
        let mine = try pm.run(["log", "--db", elsewhere, "--author", "sam", "--json"]).json() as? [[String: Any]] ?? []
        #expect(mine.count == 1 && mine.first?["author"] as? String == "sam", "\(mine)")
        // The root's place for it says the same.
        let leading = try pm.run(["--db", elsewhere, "log", "--author", "kim", "--json"]).json() as? [[String: Any]] ?? []
        #expect(leading.compactMap { $0["author"] as? String } == ["kim"])
    }
}
