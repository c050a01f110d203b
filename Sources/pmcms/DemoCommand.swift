import ArgumentParser
import Foundation
import PMCMS

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the main job end to end on a sample site.",
        discussion: """
            Creates a store in a new folder and runs real pmcms commands against it, printing \
            each one as you would type it: creating entries, the review workflow, and an edit \
            of a published entry that stays a draft while the published revision stays live. \
            Run the printed commands yourself with PMCMS_DB set as shown.

            Examples:
              pmcms demo
              pmcms demo --dir /tmp/pmcms-demo
            """)

    @Option(help: ArgumentHelp("The folder to work in (default: a new ./pmcms-demo-N).", valueName: "dir"))
    var dir: String?

    func run() throws {
        let folder = try Self.makeFolder(dir)
        let store = folder.appendingPathComponent("pmcms.sqlite").path
        if FileManager.default.fileExists(atPath: store) {
            throw CLIError(message: "\(store) exists already; give --dir a new or empty folder")
        }
        var demo = DemoRunner(directory: folder, storePath: store)
        print("pmcms demo in \(folder.path)")
        print(Terminal.styled("$ export PMCMS_DB=\(DemoRunner.quote(store)) PMCMS_AUTHOR=demo", .cyan))

        demo.section("Create a store and describe the site")
        demo.run(["init"])
        demo.run(["config", "site.title", "Project Management FAQ"])
        demo.run(["config", "site.url", "https://www.example.org"])
        demo.run(["config", "site.description", "Answers to common project management questions."])
        demo.run(["config", "site.language", "en-GB"])

        demo.section("Write entries")
        demo.run(
            ["new", "--kind", "question", "--title", "Is PMO more senior than project manager?", "--body-file", "-",
             "--set", "source_url=https://www.example.org/faq/is-pmo-more-senior-than-project-manager",
             "-m", "first answer"],
            input: "A project manager typically focuses on delivering specific projects, while a PMO leader operates at a higher organisational level, overseeing multiple projects or a portfolio.\n")
        demo.run(
            ["new", "--kind", "article", "--title", "Project portfolio management tools",
             "--set", "summary=Explore the features of different project portfolio management tools and how to choose the right one for your needs.",
             "--set", "source_url=https://www.example.org/articles/project-portfolio-management-tools"])
        demo.run(["edit", "1", "--set", "articles=project-portfolio-management-tools", "-m", "link the article"])

        demo.section("Review and publish")
        demo.run(["submit", "1", "-m", "ready for review"])
        demo.run(["list", "--status", "in_review"])
        demo.run(["reject", "1"], expect: 2)
        demo.run(["reject", "1", "-m", "mention that a PMO also designs solutions for clients"])
        demo.run(
            ["edit", "1", "--body-file", "-", "-m", "add the PMO's role for clients"],
            input: "A project manager typically focuses on delivering specific projects, while a PMO leader operates at a higher organisational level, overseeing multiple projects or a portfolio.\n\nThey also design tailored solutions for PMO clients to ensure they meet organisational needs and deliver effective value.\n")
        demo.run(["submit", "1"])
        demo.run(["approve", "1", "-m", "clear and sourced"])
        demo.run(["publish", "1"])
        demo.run(["publish", "1"], expect: 1)

        demo.section("Edit a published entry: a draft, while the published revision stays live")
        let head = (try? ContentStore(path: store).header("1").head) ?? 0
        let editor = folder.appendingPathComponent("editor.sh")
        try Self.editorScript.write(to: editor, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor.path)
        print(Terminal.styled("# editor.sh stands in for you in $EDITOR: it rewrites the last sentence of the answer", .dim))
        demo.run(["edit", "1", "-m", "say what value a PMO delivers"], extraEnvironment: ["EDITOR": "./editor.sh"])
        demo.run(
            ["edit", "1", "--set", "title=Is a PMO more senior than a project manager?", "-m", "clearer title",
             "--expect-rev", String(head + 1)])
        demo.run(["edit", "1", "--set", "title=Stale edit", "--expect-rev", String(head)], expect: 3)
        demo.run(["show", "1"])
        demo.run(["list"])

        demo.section("Review the history")
        demo.run(["history", "1"])
        demo.run(["diff", "1", "live", "latest"])

        demo.section("Export feeds: the live revision of each published entry")
        for (format, file) in Self.exports {
            demo.run(["export", format, "--out", file])
        }
        print("written in \(folder.path): " + Self.exports.map(\.file).joined(separator: ", "))

        print("")
        if demo.failures > 0 {
            throw CLIError(message: "the demo had \(demo.failures) unexpected result(s); see above")
        }
        print(Terminal.styled("demo complete: the store is \(store)", .green))
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
