import ArgumentParser
import Foundation
import Imports
import PMCMS

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the main job end to end on a sample site.",
        discussion: """
            Writes a sample scraped site (embedded in pmcms) into a new folder and runs real pmcms \
            commands against a store there, printing each one as you would type it: importing \
            the pages, finding and checking content, writing and reviewing an entry, editing a \
            published one in $EDITOR (a script stands in for you), an import conflict, the \
            history, and every export format. Run the printed commands yourself with PMCMS_DB \
            set as shown.

            Examples:
              pmcms demo
              pmcms demo --dir /tmp/pmcms-demo
            """)

    @Option(help: ArgumentHelp("The folder to work in (default: a new ./pmcms-demo, ./pmcms-demo-2, …).", valueName: "dir"))
    var dir: String?

    static let seed = "is-pmo-more-senior-than-project-manager"

    func run() throws {
        let folder = try Self.makeFolder(dir)
        let store = folder.appendingPathComponent("pmcms.sqlite").path
        if FileManager.default.fileExists(atPath: store) {
            throw CLIError(message: "\(store) exists already; give --dir a new or empty folder")
        }
        var demo = DemoRunner(directory: folder, storePath: store)
        print("pmcms demo in \(folder.path)")
        print(Terminal.styled("$ cd \(DemoRunner.quote(folder.path)) && export PMCMS_DB=pmcms.sqlite PMCMS_AUTHOR=demo", .cyan))

        demo.section("1. Import the scraped site")
        try Self.writeSampleSite(into: folder.appendingPathComponent("site"))
        print(Terminal.styled("# site/ holds \(SampleSite.files.count) scraped pages: FAQ pages with related questions and article cards, and article pages", .dim))
        demo.run(["init"])
        demo.run(["config", "site.title", "Project Management FAQ"])
        demo.run(["config", "site.url", "https://www.example.org"])
        demo.run(["config", "site.description", "Answers to common project management questions."])
        demo.run(["config", "site.language", "en-GB"])
        demo.run(["import", "site", "--base-url", "https://www.example.org"])
        demo.run(["list", "--kind", "question"])
        demo.run(["show", Self.seed])
        demo.run(["import", "site", "--base-url", "https://www.example.org"])

        demo.section("2. Find and check content")
        demo.run(["search", "scrum master"])
        demo.run(["search", "PRINCE2", "--kind", "question", "--limit", "3"])
        demo.run(["check"])

        demo.section("3. Write an entry and take it through review")
        try "A programme manager coordinates several related projects towards one outcome.\n"
            .write(to: folder.appendingPathComponent("answer.md"), atomically: true, encoding: .utf8)
        demo.run(
            ["new", "--kind", "question", "--title", "Is a programme manager senior to a project manager?",
             "--body-file", "answer.md", "--set", "related=\(Self.seed)", "-m", "first answer"])
        let slug = "is-a-programme-manager-senior-to-a-project-manager"
        demo.run(["submit", slug, "-m", "ready for review"])
        demo.run(["review"])
        demo.run(["reject", slug], expect: 2)
        demo.run(["reject", slug, "-m", "say who the programme manager reports to"])
        try "A programme manager coordinates several related projects towards one outcome.\n\nProject managers usually report to the programme manager, so the role is more senior.\n"
            .write(to: folder.appendingPathComponent("answer.md"), atomically: true, encoding: .utf8)
        demo.run(["edit", slug, "--body-file", "answer.md", "-m", "add the reporting line"])
        demo.run(["submit", slug])
        demo.run(["approve", slug, "-m", "clear"])
        demo.run(["publish", slug])
        demo.run(["publish", slug], expect: 1)

        demo.section("4. Edit a published entry: a draft, while the published revision stays live")
        let editor = folder.appendingPathComponent("editor.sh")
        try Self.editorScript.write(to: editor, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor.path)
        print(Terminal.styled("# editor.sh stands in for you in $EDITOR: it rewrites the last sentence of the answer", .dim))
        demo.run(["edit", Self.seed, "-m", "say what value a PMO delivers"], extraEnvironment: ["EDITOR": "./editor.sh"])
        demo.run(["edit", Self.seed, "--set", "title=Is a PMO more senior than a project manager?", "-m", "clearer title", "--expect-rev", "2"])
        demo.run(["edit", Self.seed, "--set", "title=Someone else's title", "--expect-rev", "2"], expect: 3)
        demo.run(["show", Self.seed, "--json"], quiet: true)
        demo.run(["list", "--status", "draft"])

        demo.section("5. The site changes under an edit: the editor's text stays, the conflict is reported")
        let page = folder.appendingPathComponent("site/faq/\(Self.seed).html")
        let html = try String(contentsOf: page, encoding: .utf8)
        try html.replacingOccurrences(of: "overseeing multiple projects", with: "overseeing many projects")
            .write(to: page, atomically: true, encoding: .utf8)
        print(Terminal.styled("# site/faq/\(Self.seed).html was re-scraped: one sentence changed", .dim))
        demo.run(["import", "site", "--base-url", "https://www.example.org"])
        demo.run(["check"], expect: 1)

        demo.section("6. Review the history")
        demo.run(["history", Self.seed])
        demo.run(["diff", Self.seed, "live", "latest"])
        demo.run(["diff", Self.seed, "latest", "upstream"])
        demo.run(["log", "--limit", "5"])

        demo.section("7. Export feeds: the live revision of each published entry")
        for (format, file) in Self.exports {
            demo.run(["export", format, "--out", file])
        }
        print("written in \(folder.path): " + Self.exports.map(\.file).joined(separator: ", "))
        demo.run(["verify"])

        print("")
        if demo.failures > 0 {
            throw CLIError(message: "the demo had \(demo.failures) unexpected result(s); see above")
        }
        print(Terminal.styled("demo complete: the store is \(store)", .green))
        print("Review it in a browser: pmcms --db \(store) serve   (then open the login link it prints)")
        if !Self.isOnPath("pmcms") {
            // After `swift run pmcms demo`, the commands above are not yet typeable as shown.
            print(Terminal.styled("`pmcms` is not on your PATH: above, it stands for \(demo.executable) (`swift run pmcms …` in the repository runs it too; the README says how to install it)", .dim))
        }
    }

    /// Whether a shell would find `command` on `$PATH`.
    static func isOnPath(_ command: String) -> Bool {
        (ProcessEnvironment.value("PATH") ?? "").split(separator: ":").contains { folder in
            FileManager.default.isExecutableFile(atPath: "\(folder)/\(command)")
        }
    }

    /// Every export format, with the file the demo writes it to.
    static let exports: [(format: String, file: String)] = [
        ("json", "export.json"), ("ndjson", "export.ndjson"), ("csv", "export.csv"), ("rss", "feed.xml"),
        ("atom", "atom.xml"), ("jsonfeed", "feed.json"), ("faq-jsonld", "faq.jsonld"), ("sitemap", "sitemap.xml"),
    ]

    /// The demo's stand-in for a person in the editor: one sentence rewritten in place.
    static let editorScript = """
        #!/bin/sh
        # pmcms demo: a scripted editor. pmcms runs it as `$EDITOR FILE`, as git runs yours.
        sed -i 's/deliver effective value\\./deliver effective value across the portfolio./' "$1"

        """

    static func writeSampleSite(into root: URL) throws {
        for (path, bytes) in SampleSite.files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }

    static func makeFolder(_ requested: String?) throws -> URL {
        let fm = FileManager.default
        if let requested {
            let url = URL(fileURLWithPath: requested)
            try fm.createDirectory(at: url, withIntermediateDirectories: true)
            return url.standardizedFileURL
        }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath)
        for n in 1...10_000 {
            let url = cwd.appendingPathComponent(n == 1 ? "pmcms-demo" : "pmcms-demo-\(n)")
            if !fm.fileExists(atPath: url.path) {
                try fm.createDirectory(at: url, withIntermediateDirectories: false)
                return url
            }
        }
        throw CLIError(message: "could not find a free ./pmcms-demo-N folder name; pass --dir")
    }
}
