import Testing
@testable import Imports

/// Layouts the fixture site does not cover, written inline.
@Suite struct PageLayoutTests {
    func extract(_ html: String, _ pageURL: String? = "https://www.example.org/faq/q") throws -> ExtractedPage {
        try Extractor.extract(Array(html.utf8), pageURL: pageURL)
    }

    @Test func questionHeadingInsideAHeader() throws {
        let page = try extract("""
            <body><header class="site"><h1 class="logo">PM Training</h1></header>
            <article><header><h1>Can I learn PM online?</h1><p>By Sam</p></header>
            <div class="content"><p>Yes, <a href="/courses">online courses</a> work well.</p></div>
            <footer>Share this</footer></article></body>
            """)
        let question = try #require(page.questions.first)
        #expect(question.title == "Can I learn PM online?")
        #expect(question.answerMarkdown == "Yes, [online courses](https://www.example.org/courses) work well.")
    }

    @Test func faqFurnitureWinsOverAnArticleLabel() throws {
        let page = try extract("""
            <html><head><meta property="og:type" content="article">
            <script type="application/ld+json">{"@type": "Article", "headline": "Is PMO a job?", "dateModified": "2026-01-02",}</script></head>
            <body><h1>Is PMO a job?</h1><p>Yes, it is.</p>
            <h2>Related</h2><ul><li><a href="/faq/a">Is A?</a></li><li><a href="/faq/b">Is B?</a></li><li><a href="/faq/q">Is Q?</a></li></ul></body></html>
            """)
        let question = try #require(page.questions.first)
        #expect(page.article == nil)
        #expect(question.answerMarkdown == "Yes, it is.")
        #expect(question.editedAt == "2026-01-02")  // from the JSON-LD, trailing comma and all
        #expect(question.related == [
            ExtractedLink(title: "Is A?", url: "https://www.example.org/faq/a"),
            ExtractedLink(title: "Is B?", url: "https://www.example.org/faq/b"),
        ])
    }

    @Test func linksToOtherSitesAreNotRelatedQuestions() throws {
        let page = try extract("""
            <body><h1>Why?</h1><p>Because.</p>
            <ul><li><a href="https://other.org/a">Is A?</a></li><li><a href="https://other.org/b">Is B?</a></li></ul></body>
            """)
        #expect(page.questions.first?.related == [])
    }

    @Test func jsonLDInsideSubjectOfAndBrokenJSON() throws {
        let page = try extract("""
            <script type="application/ld+json">
            {"@type": "WebPage", "subjectOf": {"@type": "FAQPage", "mainEntity": [
              {"@type": "Question", "name": "One?", "acceptedAnswer": {"text": "First
            line"}},
              {"@type": "Question", "name": "Two &amp; three?", "acceptedAnswer": {"@type": "Answer", "text": "<p>Second</p>"}},
            ]}}
            </script><body><h1>FAQ</h1></body>
            """)
        #expect(page.questions.map(\.title) == ["One?", "Two & three?"])
        #expect(page.questions.map(\.answerMarkdown) == ["First line", "Second"])
        #expect(page.questions.map(\.fragment) == ["one", "two-three"])
    }

    @Test func microdataQuestions() throws {
        let page = try extract("""
            <body><div itemscope itemtype="https://schema.org/FAQPage">
            <div itemscope itemprop="mainEntity" itemtype="https://schema.org/Question" id="first"><h3 itemprop="name">First?</h3>
              <div itemscope itemprop="acceptedAnswer" itemtype="https://schema.org/Answer"><div itemprop="text"><p>Answer one.</p></div></div></div>
            <div itemscope itemprop="mainEntity" itemtype="https://schema.org/Question"><h3 itemprop="name">Second?</h3>
              <div itemscope itemprop="acceptedAnswer" itemtype="https://schema.org/Answer"><div itemprop="text"><p>Answer two.</p></div></div></div>
            </div></body>
            """)
        #expect(page.questions.map(\.title) == ["First?", "Second?"])
        #expect(page.questions.map(\.answerMarkdown) == ["Answer one.", "Answer two."])
        #expect(page.questions.map(\.fragment) == ["first", "second"])
    }

    @Test func canonicalFallsBackToOpenGraphAndIsAbsolute() throws {
        let og = try extract(#"<meta property="og:url" content="/faq/og"><body><p>x</p></body>"#)
        #expect(og.canonicalURL == "https://www.example.org/faq/og")
        let bad = try extract(#"<link rel="canonical" href="javascript:alert(1)"><body><p>x</p></body>"#, nil)
        #expect(bad.canonicalURL == nil)
    }
}

/// Declared encodings libxml2 may not know, and concurrent extraction.
@Suite struct EncodingRobustnessTests {
    @Test(arguments: ["no-such-charset", "ISO-8859-2", "koi8-r", "shift_jis"])
    func anyDeclaredEncodingParses(label: String) throws {
        let html = "<meta charset=\"\(label)\"><body><h1>Plain ASCII question?</h1><p>Plain answer.</p></body>"
        let question = try #require(try Extractor.extract(Array(html.utf8), pageURL: nil).questions.first)
        #expect(question.title == "Plain ASCII question?")
        #expect(question.answerMarkdown == "Plain answer.")
    }

    @Test func iso8859_2Decodes() throws {
        let bytes = Array("<meta charset=\"iso-8859-2\"><body><h1>Za".utf8) + [0xBF, 0xF3, 0xB3, 0xE6] + Array("?</h1><p>Tak.</p></body>".utf8)
        let question = try #require(try Extractor.extract(bytes, pageURL: nil).questions.first)
        #expect(question.title == "Zażółć?")
    }

    @Test func pagesExtractConcurrently() async throws {
        let bytes = try Fixtures.bytes(Fixtures.seedPath)
        let expected = try Extractor.extract(bytes, pageURL: nil)
        let results = await withTaskGroup(of: ExtractedPage?.self) { group in
            for _ in 0..<16 { group.addTask { try? Extractor.extract(bytes, pageURL: nil) } }
            var pages: [ExtractedPage?] = []
            for await page in group { pages.append(page) }
            return pages
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
    }
}

/// A page whose address is unknown (no canonical link, no page URL) keeps its links relative.
@Suite struct UnknownAddressTests {
    @Test func relatedLinksStayRelativeAndTheSelfLinkStillGoes() throws {
        let html = """
            <body><h1>Where am I?</h1><p>Nowhere in particular.</p>
            <ul><li><a href="/faq/a">Is A?</a></li><li><a href="b.html">Is B?</a></li><li><a href="/faq/where-am-i.html">Where am I?</a></li></ul></body>
            """
        let page = try Extractor.extract(Array(html.utf8), pageURL: "faq/where-am-i.html")
        #expect(page.canonicalURL == nil)
        #expect(page.questions.first?.related == [ExtractedLink(title: "Is A?", url: "/faq/a"), ExtractedLink(title: "Is B?", url: "b.html")])
    }
}
