import Foundation
import Testing
import PMCMS
@testable import Imports

/// Page shapes that lost text silently: a page wrapped in one form, unclosed foreign content and
/// buttons, JSON-LD quirks, image addresses with queries, old unclosed related lists.
@Suite struct HostileShapeTests {
    func extract(_ html: String, _ pageURL: String? = "https://www.example.org/faq/q") throws -> ExtractedPage {
        try Extractor.extract(Array(html.utf8), pageURL: pageURL)
    }

    // MARK: Issue 14 item 9

    /// ASP.NET WebForms: the whole page inside `<form runat=server>`.
    @Test func aPageInsideOneFormKeepsItsTextAndDropsItsControls() throws {
        let page = try extract("""
            <html><body><form name="aspnetForm" method="post" action="./q.aspx" id="aspnetForm">
            <input type="hidden" name="__VIEWSTATE" value="dDwtMTI3OTMzNDM4NDs7Pg==">
            <h1>Can a PMO run an agile team?</h1>
            <p>Yes: a PMO can support agile teams with light governance.</p>
            <p>Search: <input type="text" name="q"><select name="s"><option>All sections</option></select>
            <textarea name="t">typed text</textarea><button type="submit">Go</button></p>
            </form></body></html>
            """)
        let question = try #require(page.questions.first)
        #expect(question.title == "Can a PMO run an agile team?")
        #expect(question.answerMarkdown.contains("Yes: a PMO can support agile teams with light governance."))
        for control in ["All sections", "typed text", "Go", "VIEWSTATE"] {
            #expect(!question.answerMarkdown.contains(control), "\(control) in \(question.answerMarkdown)")
        }
    }

    @Test(arguments: ["<svg width=10 height=10><path d='M0 0'>", "<math><mi>x</mi>", "<button class=menu>Menu", "<map name=m><area href=/x>"])
    func anUnclosedContainerDoesNotSwallowTheRestOfThePage(_ opener: String) throws {
        let page = try extract("""
            <html><body><h1>Is the rest of the page kept?</h1>\(opener)
            <p>The answer after an unclosed element.</p><h2>Related</h2>
            <ul><li><a href="/faq/a">Is A?</a></li><li><a href="/faq/b">Is B?</a></li></ul></body></html>
            """)
        let question = try #require(page.questions.first)
        #expect(question.answerMarkdown.contains("The answer after an unclosed element."), "\(opener): \(question.answerMarkdown)")
        #expect(question.related.count == 2, "\(opener)")
        #expect(!question.answerMarkdown.contains("Menu"))
    }

    @Test func closedSVGAndButtonsStayDropped() throws {
        let page = try extract("""
            <html><body><h1>Are icons dropped?</h1><p>Text <svg><title>icon title</title><text>svg words</text></svg>
            and <button>Click me</button> more text.</p></body></html>
            """)
        let answer = try #require(page.questions.first).answerMarkdown
        #expect(answer.contains("Text") && answer.contains("more text."))
        #expect(!answer.contains("svg words") && !answer.contains("icon title") && !answer.contains("Click me"))
    }

    @Test func aPageWhoseAnswerComesOutEmptyIsAnError() throws {
        let page = try extract("<html><body><h1>Where did the answer go?</h1><script>document.write('the answer')</script></body></html>")
        #expect(throws: ImportError.self) { try PageMapping.entries(for: page, identity: "https://www.example.org/faq/q") }
        let article = try extract("<html><head><meta property=og:type content=article></head><body><h1>An empty article</h1></body></html>")
        #expect(throws: ImportError.self) { try PageMapping.entries(for: article, identity: "https://www.example.org/a") }
    }

    // MARK: Issue 14 item 11

    @Test func fiftyQuestionsWithOneNameKeepEveryAnswer() throws {
        let questions = (1...50).map {
            #"{"@type": "Question", "name": "What is it?", "acceptedAnswer": {"@type": "Answer", "text": "Answer number \#($0)."}}"#
        }.joined(separator: ",")
        // The same FAQPage twice (two plugins) must not double the questions.
        let block = #"<script type="application/ld+json">{"@type": "FAQPage", "mainEntity": [\#(questions)]}</script>"#
        let page = try extract("<html><head>\(block)\(block)</head><body><h1>FAQ</h1></body></html>")
        #expect(page.questions.count == 50)
        #expect(Set(page.questions.map(\.answerMarkdown)).count == 50)
        let entries = try PageMapping.entries(for: page, identity: "https://www.example.org/faq/q")
        #expect(Set(entries.map(\.key)).count == 50)
    }

    @Test func aLoneSurrogateEscapeIsReplacedAndTheDataKept() throws {
        let page = try extract(#"""
            <html><head><script type="application/ld+json">{"@type": "FAQPage", "mainEntity": [
            {"@type": "Question", "name": "Broken \ud800 escape?", "acceptedAnswer": {"@type": "Answer", "text": "Still \udc00 read."}},
            {"@type": "Question", "name": "Paired \ud83d\ude00 escape?", "acceptedAnswer": {"@type": "Answer", "text": "Kept."}}]}</script>
            </head><body><h1>FAQ</h1></body></html>
            """#)
        #expect(page.questions.map(\.title) == ["Broken \u{FFFD} escape?", "Paired 😀 escape?"])
        #expect(page.questions.first?.answerMarkdown == "Still \u{FFFD} read.")
        #expect(page.article == nil)
    }

    // MARK: Issue 13 item 12

    @Test func imageAddressesKeepTheirQuery() throws {
        let page = try extract("""
            <html><head><meta property="og:type" content="article"><meta property="og:image" content="https://cdn.example.org/photo.jpg?s=1400&amp;v=2"></head>
            <body><h1>A photo essay</h1><p>Text of the essay, long enough to be a body.</p><img src="/img/inline.png?w=640" alt="inline"></body></html>
            """, "https://www.example.org/articles/essay")
        let article = try #require(page.article)
        #expect(article.imageURL == "https://cdn.example.org/photo.jpg?s=1400&v=2")
        #expect(article.bodyMarkdown?.contains("https://www.example.org/img/inline.png?w=640") == true, "\(article.bodyMarkdown ?? "")")
    }

    @Test func anImageObjectGivesItsAddressNeverItsIdentifier() throws {
        let page = try extract("""
            <html><head><script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
            {"@type": "Article", "headline": "Graph article", "image": {"@id": "https://www.example.org/a#primaryimage"}},
            {"@type": "ImageObject", "@id": "https://www.example.org/a#primaryimage", "contentUrl": "https://cdn.example.org/a.jpg?s=1400"}]}</script>
            </head><body><h1>Graph article</h1><p>Body text of the article.</p></body></html>
            """, "https://www.example.org/a")
        #expect(page.article?.imageURL == "https://cdn.example.org/a.jpg?s=1400")
        let inline = try extract("""
            <html><head><script type="application/ld+json">{"@type": "Article", "headline": "Inline",
            "image": {"@type": "ImageObject", "@id": "https://www.example.org/b#primaryimage", "url": "https://cdn.example.org/b.jpg"}}</script>
            </head><body><h1>Inline</h1><p>Body text of the article.</p></body></html>
            """, "https://www.example.org/b")
        #expect(inline.article?.imageURL == "https://cdn.example.org/b.jpg")
        let onlyID = try extract("""
            <html><head><script type="application/ld+json">{"@type": "Article", "headline": "Only an id",
            "image": {"@id": "https://www.example.org/c#primaryimage"}}</script>
            </head><body><h1>Only an id</h1><p>Body text of the article.</p></body></html>
            """, "https://www.example.org/c")
        #expect(onlyID.article?.imageURL?.contains("#primaryimage") != true)
    }

    @Test func anOldUnclosedRelatedListIsFoundLikeAModernOne() throws {
        let old = try extract("""
            <HTML><BODY><H1>Is old markup read?</H1><P>Yes, old markup is read.
            <H3>Related questions</H3>
            <UL>
            <LI><A HREF=/faq/one.html>Is one a question?</A>
            <LI><A HREF=/faq/two.html>Is two a question?</A>
            <LI><A HREF=/faq/three.html>Is three a question?</A>
            </UL>
            </BODY></HTML>
            """)
        let question = try #require(old.questions.first)
        #expect(question.related.map(\.url) == ["https://www.example.org/faq/one.html", "https://www.example.org/faq/two.html", "https://www.example.org/faq/three.html"])
        #expect(question.answerMarkdown == "Yes, old markup is read.")
        let unclosedAnchors = try extract("""
            <HTML><BODY><H1>Are unclosed anchors read?</H1><P>Yes.
            <UL><LI><A HREF=/faq/one.html>Is one a question?<LI><A HREF=/faq/two.html>Is two a question?<LI><A HREF=/faq/three.html>Is three a question?</UL>
            </BODY></HTML>
            """)
        #expect(try #require(unclosedAnchors.questions.first).related.count == 3)
    }
}
