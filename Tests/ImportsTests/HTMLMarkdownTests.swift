import Testing
@testable import Imports

/// HTML → Markdown with sanitizing, tested on fragments.
@Suite struct HTMLMarkdownTests {
    func md(_ html: String, _ pageURL: String? = "https://www.example.org/faq/page") -> String {
        HTMLMarkdown.convert(html, pageURL: pageURL)
    }

    @Test func paragraphsBreaksAndHeadings() {
        #expect(md("<p>One</p><p>Two<br>lines</p><h2>Title</h2><h4>Small</h4>") == "One\n\nTwo\\\nlines\n\n## Title\n\n#### Small")
    }

    @Test func emphasisAndCode() {
        #expect(md("<p><em>a</em> <strong>b</strong> <b><i>c</i></b> <code>x*y</code> <del>d</del></p>") == "*a* **b** ***c*** `x*y` ~~d~~")
        #expect(md("<p>word<em> spaced </em>word</p>") == "word *spaced* word")
        #expect(md("<pre><code>let a = 1\n  let b = 2\n</code></pre>") == "```\nlet a = 1\n  let b = 2\n```")
    }

    @Test func linksAreMadeAbsolute() {
        #expect(md(#"<p><a href="/faq/other">Other</a> <a href="next">Next</a> <a href="https://x.org/a b">Space</a></p>"#)
            == "[Other](https://www.example.org/faq/other) [Next](https://www.example.org/faq/next) [Space](https://x.org/a%20b)")
        #expect(md(##"<p><a href="mailto:a@b.org">Mail</a> <a href="#top">Top</a></p>"##) == "[Mail](mailto:a@b.org) Top")
        #expect(md(#"<a href="/x">Rel</a>"#, nil) == "[Rel](/x)")
    }

    @Test func baseHrefOnlyOnTheSameHost() {
        #expect(md(#"<base href="https://www.example.org/docs/"><a href="a">A</a>"#) == "[A](https://www.example.org/docs/a)")
        #expect(md(#"<base href="https://evil.example.com/"><a href="a">A</a>"#) == "[A](https://www.example.org/faq/a)")
        #expect(md(#"<base href="javascript:alert(1)//"><a href="a">A</a>"#) == "[A](https://www.example.org/faq/a)")
    }

    @Test func nestedAndOrderedLists() {
        #expect(md("<ul><li>a<ul><li>b</li><li>c<ol><li>d</li></ol></li></ul></li><li>e</li></ul>") == "- a\n  - b\n  - c\n    1. d\n- e")
        #expect(md(#"<ol start="3"><li><p>x</p><p>y</p></li><li>z</li></ol>"#) == "3. x\n\n   y\n\n4. z")
    }

    @Test func blockquotesImagesTables() {
        #expect(md("<blockquote><p>a</p><p>b</p></blockquote>") == "> a\n>\n> b")
        #expect(md(#"<p><img src="/i.png" alt="An [image]"></p>"#) == "![An \\[image\\]](https://www.example.org/i.png)")
        #expect(md("<table><tr><th>A</th><th>B</th></tr><tr><td>1|2</td><td><b>3</b></td></tr></table>") == "| A | B |\n| --- | --- |\n| 1\\|2 | **3** |")
    }

    @Test func markdownSyntaxInTextIsEscaped() {
        #expect(md("<p>*not emphasis* and _this_ and [a](b) and `tick` and &lt;b&gt;</p>") == "\\*not emphasis\\* and \\_this\\_ and \\[a\\](b) and \\`tick\\` and")
        #expect(md("<p># not a heading</p><p>1. not a list</p><p>- nor this</p><p>&gt; nor a quote</p>") == "\\# not a heading\n\n1\\. not a list\n\n\\- nor this\n\n\\> nor a quote")
        #expect(md("<p>AT&amp;T &amp;copy; 5 &lt; 6</p>") == "AT&T \\&copy; 5 \\< 6")
    }

    @Test func entitiesAndWhitespace() {
        #expect(md("<p>  caf&eacute;&nbsp;&nbsp;and\n\n\t  cr&#232;me &#x2014; done&hellip; </p>") == "café and crème — done…")
        #expect(md("<div>loose <span>inline</span> text<p>para</p>tail</div>") == "loose inline text\n\npara\n\ntail")
    }

    @Test func activeContentIsDropped() {
        let html = """
            <p onclick="alert(1)" style="color:red">Keep <a href="javascript:alert(1)">js</a> <a href=" JAVASCRIPT:x">js2</a>
            <a href="vbscript:x">vb</a> <a href="data:text/html,x">data</a><img src="data:image/png;base64,AAAA" alt="d"></p>
            <script>alert(2)</script><style>p{}</style><noscript>ns</noscript><iframe src="https://x.org"></iframe>
            <object data="x"></object><embed src="y"><form><input value="v"><button>b</button></form><svg><text>svg</text></svg>
            <template><p>tpl</p></template><nav>menu</nav><header>head</header><footer>foot</footer><aside>side</aside>
            <div class="cookie-banner">cookies</div><div id="gdpr-consent">consent</div><p hidden>hidden</p>
            """
        #expect(md(html) == "Keep js js2 vb data")
    }
}

/// Encoding detection and date reading.
@Suite struct EncodingAndDateTests {
    @Test func encodingDetection() {
        #expect(EncodingDetector.detect([0xEF, 0xBB, 0xBF, 0x3C]).name == "UTF-8")
        #expect(EncodingDetector.detect([0xFF, 0xFE, 0x3C, 0x00]) == ("UTF-16LE", 2))
        #expect(EncodingDetector.detect(Array(#"<meta charset="ISO-8859-1"><p>é"#.utf8)).name == "windows-1252")
        #expect(EncodingDetector.detect(Array(#"<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">"#.utf8)).name == "SHIFT_JIS")
        #expect(EncodingDetector.detect(Array("<p>caf\u{E9}</p>".utf8)).name == "UTF-8")
        #expect(EncodingDetector.detect([0x3C, 0x70, 0x3E, 0xE9, 0x92]).name == "windows-1252")
        #expect(EncodingDetector.detect(Array("<p>charset=koi8-r is only text</p>".utf8)).name == "UTF-8")
    }

    @Test func utf16PageWithBOM() throws {
        let html = "<html><body><h1>Caf\u{E9}?</h1><p>Yes \u{2013} caf\u{E9}.</p></body></html>"
        let bytes: [UInt8] = [0xFF, 0xFE] + html.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let question = try #require(try Extractor.extract(bytes, pageURL: nil).questions.first)
        #expect(question.title == "Caf\u{E9}?")
        #expect(question.answerMarkdown == "Yes \u{2013} caf\u{E9}.")
    }

    @Test(arguments: [
        ("Last edited on: 09 Jun 2026", "2026-06-09"), ("Last updated June 9, 2026", "2026-06-09"),
        ("Updated: 9th June, 2026", "2026-06-09"), ("Modified 2026-06-09", "2026-06-09"), ("Reviewed on 09/06/2026", "2026-06-09"),
        ("Last edited on: Sept. 3 2025", "2025-09-03"), ("Updated 31 Feb 2026", nil), ("Edited by Sam", nil),
    ])
    func editDatesInText(line: String, expected: String?) {
        #expect(DateText.editDate(inLine: line) == expected)
    }

    @Test func monthFirstNumericDates() {
        #expect(DateText.editDate(inLine: "Updated 06/09/2026", monthFirst: true) == "2026-06-09")
        #expect(DateText.editDate(inLine: "Updated 06/09/2026") == "2026-09-06")
        #expect(DateText.editDate(inLine: "Updated 06/25/2026") == "2026-06-25")
    }

    @Test(arguments: [
        ("2026-06-09", "2026-06-09"), ("2026-06-09T10:00:00Z", "2026-06-09T10:00:00Z"),
        ("2026-06-09T10:00:00+02:00", "2026-06-09T08:00:00Z"), ("2015-03-17T16:27:40.294Z", "2015-03-17T16:27:40Z"),
        ("2014-11-18T10:45:00-0500", "2014-11-18T15:45:00Z"), ("2026-06-09 23:30", "2026-06-09T23:30:00Z"),
        ("Tue, 09 Jun 2026 10:00:00 GMT", "2026-06-09T10:00:00Z"), ("June 9, 2026", "2026-06-09"), ("soon", nil),
    ])
    func machineDates(raw: String, expected: String?) {
        #expect(DateText.machine(raw) == expected)
    }
}
