import Foundation
import Testing

/// Text and URLs as they come in (issue 14, items 10 and 14): control characters are refused
/// with the field named, never stored cut; quotes and markup in URLs are stored percent-encoded.
@Suite("End to end: control characters and URLs on input")
struct InputSafetyTests {
    @Test("NUL and other control characters are refused in every field a person gives, naming it; nothing is stored")
    func controlCharactersRefused() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        try #require(try run.run(["new", "--kind", "question", "--title", "Is a NUL kept?"]).status == 0)
        try Data("Before\0after the NUL.".utf8).write(to: run.directory.appendingPathComponent("nul.md"))
        let cases: [([String], String)] = [
            (["edit", "1", "--body-file", "nul.md"], "body"),
            (["edit", "1", "--body-file", "-"], "body"),  // with a NUL on standard input, below
            (["edit", "1", "--set", "title=Red \u{1B}[31mtitle?"], "title"),
            (["edit", "1", "--set", "summary=A bell\u{07}"], "summary"),
            (["edit", "1", "--set", "body=Fine.", "-m", "message with \u{1B}]0;owned\u{07}"], "message"),
            (["edit", "1", "--set", "body=Fine.", "--author", "sam\u{1B}[2J"], "author"),
            (["edit", "1", "--set", "body=a lone\rreturn"], "body"),
            (["new", "--kind", "question", "--title", "Escaped \u{1B}[1m?"], "title"),
            (["config", "site.title", "Site \u{1B}[5m"], "site.title"),
        ]
        for (arguments, field) in cases {
            let result = try run.run(arguments, input: "Piped\0body.")
            // A flag's value is checked before the store is opened for config (a usage error, 2).
            #expect(result.status == (arguments[0] == "config" ? 2 : 1), "\(arguments): \(result.stdout)")
            #expect(result.stderr.contains("\(field): contains"), "\(arguments): \(result.stderr)")
        }
        let history = try run.run(["history", "1", "--json"]).stdout
        #expect(history.components(separatedBy: "\"number\"").count == 2, "no revision was written: \(history)")
        #expect(try run.run(["list", "--json"]).stdout.components(separatedBy: "\"slug\"").count == 2, "no entry was created")
        // Tabs, newlines and CRLF line ends are text.
        try Data("Line one,\ttabbed.\r\nLine two.\n".utf8).write(to: run.directory.appendingPathComponent("crlf.md"))
        let fine = try run.run(["edit", "1", "--body-file", "crlf.md"])
        #expect(fine.status == 0, "\(fine.stderr)")
    }

    @Test("a control character typed in the editor reopens it with the field named; the fixed text is saved whole")
    func controlCharacterInTheEditor() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        try #require(try run.run(["new", "--kind", "question", "--title", "Is the editor checked?", "--set", "body=Start."]).status == 0)
        let editor = try run.script("nul.sh", """
            if [ ! -f "$0.ran" ]; then
                touch "$0.ran"
                printf 'A NUL \\000 here and an ESC \\033 there, then more.\\n' >> "$1"
            else
                grep -q '^# ERROR:.*body' "$1" || exit 5
                tr -d '\\000\\033' < "$1" > "$1.fixed" && cat "$1.fixed" > "$1"
            fi

            """)
        let result = try run.run(["edit", "1"], env: ["EDITOR": editor])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("invalid body: contains the control character NUL"), "\(result.stderr)")
        let body = try run.run(["show", "1", "--json"]).object()["body"] as? String ?? ""
        #expect(body.hasSuffix("A NUL  here and an ESC  there, then more."), "\(body)")
    }

    @Test("quotes and markup in URLs are stored percent-encoded: source_url, image_url, links, site.url, --base-url")
    func urlsPercentEncoded() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        let hostile = #"https://x.example/"><script>alert('x')</script>"#
        let encoded = "https://x.example/%22%3E%3Cscript%3Ealert(%27x%27)%3C/script%3E"
        try #require(try run.run(["new", "--kind", "question", "--title", "Are URLs encoded?"]).status == 0)
        let edit = try run.run(["edit", "1", "--set", "source_url=\(hostile)", "--set", "image_url=\(hostile)", "--set", "related=\(hostile)"])
        #expect(edit.status == 0, "\(edit.stderr)")
        let shown = try run.run(["show", "1", "--json"]).object()
        #expect(shown["source_url"] as? String == encoded && shown["image_url"] as? String == encoded, "\(shown)")
        #expect((shown["related"] as? [[String: Any]])?.first?["url"] as? String == encoded, "\(shown)")
        let stored = try run.query("SELECT source_url || ' ' || image_url || ' ' || related FROM revision WHERE number = 2;").stdout
        #expect(stored.components(separatedBy: encoded).count == 4, "\(stored)")
        #expect(try run.run(["config", "site.url", hostile]).status == 0)
        #expect(try run.run(["config", "site.url"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == encoded)
        // --base-url: a page without a canonical link takes its URL from it.
        let page = "<html><head><title>Where from?</title></head><body><h1>Where from?</h1><p>An answer.</p></body></html>"
        try page.write(to: run.directory.appendingPathComponent("page.html"), atomically: true, encoding: .utf8)
        let imported = try run.run(["import", "page.html", "--base-url", hostile])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        let urls = try run.query("SELECT source_url FROM revision WHERE title = 'Where from?';").stdout
        #expect(urls.hasPrefix(encoded) && !urls.contains("<") && !urls.contains("\""), "\(urls)")
        #expect(try run.run(["config", "site.title", "T"]).status == 0)
        let feed = try run.run(["export", "rss"]).stdout
        #expect(!feed.contains("<script") && !feed.contains("&lt;script"), "\(feed)")
    }
}
