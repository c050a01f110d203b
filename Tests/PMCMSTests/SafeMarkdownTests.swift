import CCmarkGFM
import Foundation
import Testing
import TestBackends
@testable import PMCMS

/// Stored Markdown is safe for any renderer: these bodies are rendered with cmark-gfm in its
/// *unsafe* mode (raw HTML passed through, every link kept), as a careless site would render
/// them, and the HTML must hold no markup from the text and no script link.
@Suite("Stored Markdown is safe for any renderer")
struct SafeMarkdownTests {
    /// cmark-gfm with `CMARK_OPT_UNSAFE`: what a renderer that trusts its input produces.
    static func unsafeHTML(_ markdown: String) -> String {
        cmark_gfm_core_extensions_ensure_registered()
        guard let parser = cmark_parser_new(CMARK_OPT_UNSAFE) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink"] {
            if let syntax = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, syntax) }
        }
        var text = markdown
        text.withUTF8 { bytes in bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) } }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html(document, CMARK_OPT_UNSAFE, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    /// The hrefs and srcs of `html`, entity-decoded as a browser decodes attributes.
    static func links(_ html: String) -> [String] {
        html.matches(of: #/(?:href|src)="([^"]*)"/#).map { match in
            String(match.output.1).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&#58;", with: ":").replacingOccurrences(of: "&colon;", with: ":")
        }
    }

    /// What Markdown itself renders to; any other tag came from raw HTML.
    static let markdownTags: Set<String> = [
        "p", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "br", "img", "del", "table", "thead", "tbody", "tr", "th", "td",
    ]

    static let hostile: [String] = [
        "<script>alert(1)</script>",
        "Text <img src=x onerror=alert(1)> more",
        "<div onclick=\"x()\">\nblock\n</div>",
        "<!-- comment --> and <?php echo 1 ?> and <![CDATA[x]]> and <!DOCTYPE html>",
        "[here](javascript:alert(1))",
        "[here](javascript&#58;alert(1))",
        "[here](&#106;avascript:alert(1))",
        "[here](&#x6A;avascript&colon;alert(1))",
        "[here](java&#x09;script:alert(1))",
        "[here](JaVaScRiPt:alert(1) \"title\")",
        "[here](<javascript:alert(1)>)",
        "![img](javascript:alert(1))",
        "[ref]\n\n[ref]: javascript&#58;alert(1)",
        "<javascript:alert(1)>",
        "[data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox) [file](file:///etc/passwd)",
        "`a\nb` <script>x</script> `c`",
        "> <script>alert(1)</script>\n> [q](javascript:alert(1))",
        "- item\n\n  <iframe src=\"https://evil.example\"></iframe>",
        "> [r]: javascript:alert(1)\n\n[r]",
    ]

    @Test("hostile bodies render to nothing live, even by an unsafe renderer", arguments: hostile)
    func hostileBodies(body: String) throws {
        let stored = SafeMarkdown.sanitize(body)
        let html = Self.unsafeHTML(stored).lowercased()
        let tags = Set(html.matches(of: #/<\/?([a-z][a-z0-9]*)/#).map { String($0.output.1) })
        #expect(tags.isSubset(of: Self.markdownTags), "tags \(tags) in \(html) from \(stored)")
        for marker in ["<!", "<?"] { #expect(!html.contains(marker), "\(marker) in \(html) from \(stored)") }
        #expect(html.firstMatch(of: #/<[^>]*\son[a-z]+=/#) == nil, "event handler in \(html) from \(stored)")
        for link in Self.links(html) {
            let scheme = link.filter { !$0.isWhitespace }.lowercased()
            #expect(!scheme.hasPrefix("javascript:") && !scheme.hasPrefix("data:") && !scheme.hasPrefix("vbscript:") && !scheme.hasPrefix("file:"),
                    "live link \(link) from \(stored)")
        }
        #expect(SafeMarkdown.sanitize(stored) == stored, "normalising twice changes nothing")
    }

    /// The test of the test: without the normaliser, the same bodies do produce live markup.
    @Test("the unsafe renderer does render the raw bodies live")
    func rawBodiesAreLive() {
        #expect(Self.unsafeHTML("<script>alert(1)</script>").contains("<script>"))
        #expect(Self.unsafeHTML("Text <img src=x onerror=alert(1)> more").firstMatch(of: #/<[^>]*\son[a-z]+=/#) != nil)
        #expect(Self.links(Self.unsafeHTML("[here](javascript&#58;alert(1))")) == ["javascript:alert(1)"])
        #expect(Self.links(Self.unsafeHTML("[here](&#106;avascript:alert(1))")) == ["javascript:alert(1)"])
    }

    @Test("text, code and safe links are kept as written")
    func keepsWhatIsSafe() {
        let plain = """
            A *PMO* leads [projects](https://example.org/a_(b) "t") and [paths](/faq/x), mail <sam@example.org>
            or <https://example.org/>, a < b, 3 <4, AT&T, \\<escaped>.

            Inline `<script>` code and ``a <b> `c` d``.

            ```html
            <script>alert(1)</script>
            ```

            ~~~
            <div>
            ~~~

            [ref]: https://example.org/ref "Ref"
            """
        #expect(SafeMarkdown.sanitize(plain) == plain)
        let html = Markdown.html(SafeMarkdown.sanitize(plain))
        #expect(html.contains("<code>&lt;script&gt;</code>"))
        #expect(html.contains("href=\"https://example.org/a_(b)\""))
    }

    @Test("raw HTML becomes text that reads the same")
    func htmlBecomesText() {
        #expect(SafeMarkdown.sanitize("Use <b>bold</b> here") == "Use &lt;b>bold&lt;/b> here")
        #expect(Markdown.html(SafeMarkdown.sanitize("Use <b>bold</b> here")) == "<p>Use &lt;b&gt;bold&lt;/b&gt; here</p>\n")
        #expect(SafeMarkdown.sanitize("[here](javascript&#58;alert(1)) now") == "[here](<>) now")
    }

    @Test("every save path stores the safe form: new, edit, revert, import", .sqliteOnly("rewrites a revision past SQLite's dropped trigger"))
    func everySavePath() throws {
        let t = try TestStore()
        let created = try t.store.createEntry(kind: .question, content: Content(title: "Q?", body: "<script>x</script> [a](javascript&#58;x)"), author: "sam")
        #expect(try t.store.entry(created.slug).content.body == "&lt;script>x&lt;/script> [a](<>)")
        try t.store.edit(created.slug, author: "kim") { $0.body = "[b](&#106;avascript:y) <img src=x>" }
        #expect(try t.store.entry(created.slug).content.body == "[b](<>) &lt;img src=x>")
        // A revision stored before the rule (written here behind the store's back) is made safe on revert.
        try t.store.writeSQLite { db in
            try db.execute(sql: "DROP TRIGGER revision_is_append_only_update")
            try db.execute(sql: "UPDATE revision SET body = '<script>old</script>' WHERE entry_id = ? AND number = 1", arguments: [created.id])
        }
        try t.store.revert(created.slug, to: 1, author: "kim")
        #expect(try t.store.entry(created.slug).content.body == "&lt;script>old&lt;/script>")
        let page = IncomingEntry(key: "k1", kind: .question, content: Content(title: "Imported?", body: "<i>x</i> [c](javascript&#58;z)"))
        _ = try t.store.importPages([PageImport(entries: [page])], newStatus: .draft, author: "import")
        #expect(try t.store.entry("imported").content.body == "&lt;i>x&lt;/i> [c](<>)")
    }
}
