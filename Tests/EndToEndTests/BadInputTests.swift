import Foundation
import Testing

/// The bad-input corpus: every file gets a clear one-line error naming it, or imports safely;
/// the import goes on past the bad ones; and nothing hostile reaches any export format.
@Suite("End to end: bad and hostile input")
struct BadInputTests {
    static let fixtures = ImportTests.fixtures

    /// What must never appear in an export as a consumer decodes it: active
    /// markup, event handlers, script URLs, CSS expressions, and the addresses only hostile
    /// elements (frames, objects, foreign `<base>`, meta refresh) pointed at.
    static let forbidden = [
        "<script", "</script", "<iframe", "<frame", "<svg", "<object", "<embed", "<applet", "<style", "<meta", "<base",
        "<form", "<video", "<audio", "<marquee", "<isindex", "<keygen", "srcdoc", "javascript:", "javascript&colon;",
        "vbscript:", "data:text", "data:image", "onerror", "onload", "onclick", "onmouseover", "onfocus", "ontoggle",
        "onstart", "onloadstart", "expression(", "behavior:", "-moz-binding", "alert(", "msgbox", "document.write",
        "evil.example.com", "evil.htc", "set-cookie", "stolen",
    ]

    /// Generated at test time so that no big file is committed: larger than the size limit,
    /// 100,000 levels of nesting (of blocks, inline elements and lists), and a page of nothing but entities.
    static func writeGenerated(to folder: URL) throws {
        func write(_ name: String, _ text: String) throws {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        func page(_ title: String) -> String {
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\(title)</title></head><body><h1>\(title)</h1>"
        }
        try write("huge.html", page("Is a huge page refused?") + String(repeating: "<p>filler text to pass the limit</p>\n", count: 100_000))
        let depth = 100_000
        try write("deep-divs.html", page("Does deep nesting crash the importer?") + String(repeating: "<div>", count: depth)
            + "<p>the innermost text</p>" + String(repeating: "</div>", count: depth) + "</body></html>")
        try write("deep-inline.html", page("Does deep inline nesting crash it?") + "<p>" + String(repeating: "<b><i>", count: depth / 2)
            + "deep words" + "</body></html>")
        try write("deep-lists.html", page("Do deeply nested lists crash it?") + String(repeating: "<ul><li>", count: depth / 2)
            + "the deepest item" + "</body></html>")
        try write("deep-tables.html", page("Do deeply nested tables crash it?")
            + String(repeating: "<table><tr><td>", count: 20_000) + "the deepest cell</body></html>")
        try write("entities-only.html", page("Is a page of entities read?") + "<p>"
            + String(repeating: "&amp;&#x1F600;&eacute;&lt;script&gt;&#0;", count: 50_000) + "</p></body></html>")
    }

    @Test("every bad file gets a clear error or a safe import, and nothing hostile reaches any export")
    func corpus() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let generated = pm.directory.appendingPathComponent("generated")
        try FileManager.default.createDirectory(at: generated, withIntermediateDirectories: true)
        try Self.writeGenerated(to: generated)

        let result = try pm.run([
            "import", Self.fixtures.appendingPathComponent("bad").path, Self.fixtures.appendingPathComponent("hostile").path,
            generated.path, "--base-url", "https://www.example.org", "--max-size", "3000000", "--json",
        ])
        // Some files are bad: exit 1, after importing everything else.
        #expect(result.status == 1, "\(result.stderr)")
        let summary = try result.object()
        let errors = (summary["errors"] as? [[String: String]] ?? []).reduce(into: [String: String]()) {
            $0[URL(fileURLWithPath: $1["file"] ?? "").lastPathComponent] = $1["reason"]
        }
        // The files that cannot be pages, each with its own reason.
        #expect(errors["empty.html"]?.contains("empty") == true, "\(errors)")
        #expect(errors["whitespace-only.html"]?.contains("empty") == true, "\(errors)")
        #expect(errors["binary.html"]?.contains("not text") == true, "\(errors)")
        #expect(errors["huge.html"]?.contains("over the 3000000-byte limit") == true, "\(errors)")
        // Nesting far past what pmcms reads is refused by name (libxml2 alone drops the rest of
        // the page silently at 256 levels).
        let deep = ["deep-divs.html", "deep-inline.html", "deep-lists.html", "deep-tables.html"]
        for file in deep { #expect(errors[file]?.contains("nests elements more than 4096 deep") == true, "\(file): \(errors[file] ?? "imported")") }
        // Every error is one line that says what to do or what is wrong.
        for (file, reason) in errors {
            #expect(!reason.isEmpty && !reason.contains("\n"), "\(file): \(reason)")
        }
        // The rest imported: the mis-declared, truncated and entity-heavy pages, and every hostile page.
        let expectedErrors = Set(["empty.html", "whitespace-only.html", "binary.html", "huge.html"] + deep)
        #expect(Set(errors.keys) == expectedErrors, "unexpected errors: \(errors.filter { !expectedErrors.contains($0.key) })")
        let listed = try #require(try pm.run(["list", "--json", "--limit", "1000"]).json() as? [[String: Any]])
        let titles = listed.compactMap { $0["title"] as? String }
        for title in [
            "Does a UTF-16 label on ASCII bytes matter?", "Is a UTF-16 page read?",
            "Is a truncated page imported?", "Is a page of entities read?", "Are SVG and frames dropped?",
            "Are CSS expressions and behaviors dropped?", "Does a foreign base change where links go?",
            "Is a hostile article cleaned?", "Are escaped tags in JSON-LD dropped?",
        ] {
            #expect(titles.contains(title), "\(title) was imported: \(titles)")
        }
        // Declared UTF-8 but written in Windows-1252: the declaration wins, as in a browser, and
        // the bytes that are not UTF-8 become U+FFFD rather than switching the page's encoding.
        #expect(titles.contains("Is a caf\u{FFFD} page in Latin-1 safe?"), "\(titles)")

        // A foreign <base href> does not move relative addresses off the site.
        let based = try pm.run(["show", "does-a-foreign-base-change-where-links-go", "--json"]).stdout
        #expect(based.contains("https://www.example.org/images/picture.png"), "\(based)")
        #expect(!based.contains("evil"), "\(based)")

        // Every export format, every entry: scan the bytes with every layer of escaping undone.
        #expect(try pm.run(["config", "site.title", "Bad input"]).status == 0)
        #expect(try pm.run(["config", "site.url", "https://www.example.org"]).status == 0)
        for format in ["json", "ndjson", "csv", "rss", "atom", "jsonfeed", "faq-jsonld", "sitemap"] {
            for extra in [["--all"], ["--all", "--with-history"]] where format == "json" || extra.count == 1 {
                let export = try pm.run(["export", format] + extra)
                #expect(export.status == 0, "\(format): \(export.stderr)")
                #expect(!export.stdout.isEmpty, "\(format) wrote something")
                let text = Self.decoded(export.stdout, format: format).lowercased()
                for needle in Self.forbidden where text.contains(needle) {
                    let at = text.range(of: needle).map { found in
                        text[(text.index(found.lowerBound, offsetBy: -80, limitedBy: text.startIndex) ?? text.startIndex)..<found.upperBound]
                    } ?? ""
                    Issue.record("\(format) \(extra): '\(needle)' in …\(at)")
                }
            }
        }
        try CrashSafetyTests.expectSound(pm, "after the bad input")
    }

    /// The export as a consumer reads it: JSON strings decoded, XML character references
    /// resolved (one level: HTML carried inside is then HTML, and text escaped within that HTML
    /// stays escaped, as it is inert). Markdown's own escape `\<` is inert text too, so it is
    /// removed before the scan.
    static func decoded(_ text: String, format: String) -> String {
        var result: String
        switch format {
        case "json", "jsonfeed", "faq-jsonld":
            result = strings(in: (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text)
        case "ndjson":
            result = text.split(separator: "\n").map { line in
                strings(in: (try? JSONSerialization.jsonObject(with: Data(line.utf8))) ?? String(line))
            }.joined(separator: "\n")
        case "rss", "atom", "sitemap":
            result = text
            for (reference, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#39;", "'"), ("&#60;", "<"), ("&#x3C;", "<"), ("&amp;", "&")] {
                result = result.replacingOccurrences(of: reference, with: character, options: .caseInsensitive)
            }
        default:
            result = text
        }
        return result.replacingOccurrences(of: "\\<", with: "")
    }

    /// Every string (keys too) in a JSON value, one per line.
    static func strings(in value: Any) -> String {
        if let string = value as? String { return string }
        if let array = value as? [Any] { return array.map { strings(in: $0) }.joined(separator: "\n") }
        if let object = value as? [String: Any] { return object.map { $0.key + "\n" + strings(in: $0.value) }.joined(separator: "\n") }
        return "\(value)"
    }
}
