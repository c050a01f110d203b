import Foundation
import Testing
@testable import Imports

/// Nothing active from a hostile page survives extraction, while its plain content does.
@Suite struct HostilePageTests {
    static let forbidden = [
        "<script", "script>", "javascript:", "vbscript:", "data:", "onerror", "onload", "onclick", "onmouseover",
        "alert(", "expression(", "evil.example.com", "<iframe", "srcdoc", "<svg", "<b>", "injected", "msgbox", "document.write",
    ]

    @Test(arguments: [nil, "https://www.example.org/faq/is-this-page-safe-to-import"])
    func nothingActiveSurvives(pageURL: String?) throws {
        let page = try Fixtures.page("hostile/hostile.html", pageURL: pageURL)
        let strings = Fixtures.allStrings(page)
        #expect(!strings.isEmpty)
        for string in strings {
            for needle in Self.forbidden {
                #expect(!string.lowercased().contains(needle), "\(needle) found in: \(string)")
            }
        }
    }

    @Test func theContentSurvives() throws {
        let page = try Fixtures.page("hostile/hostile.html")
        let question = try #require(page.questions.first)
        #expect(question.title == "Is this page safe to import?")
        #expect(question.editedAt == "2026-06-01")
        #expect(question.answerMarkdown.hasPrefix("Only the text of this answer should survive."))
        #expect(question.answerMarkdown.contains("![a safe image](https://www.example.org/images/safe.png)"))
        // The links' text stays, the unsafe links go; the <base href="javascript:…"> is ignored.
        #expect(question.answerMarkdown.contains("Links: a javascript link, a mixed-case one, a tab-split one, a vbscript link, a data link and [a real link](https://www.example.org/faq/a-real-question)."))
        #expect(question.answerMarkdown.contains("Styled paragraph text."))
        #expect(question.answerMarkdown.contains("Double-escaped markup:"))
    }
}
