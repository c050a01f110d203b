import Foundation
import PMCMS
import Testing
@testable import Imports

/// The seed page fixture gives exactly what the product brief's table promises.
@Suite struct SeedPageTests {
    let page: ExtractedPage
    let question: ExtractedQuestion

    init() throws {
        page = try Fixtures.page(Fixtures.seedPath)
        question = try #require(page.questions.first)
    }

    @Test func isOneQuestionWithItsAnswerAndDate() {
        #expect(page.questions.count == 1)
        #expect(page.article == nil)
        #expect(page.canonicalURL == Fixtures.seedURL)
        #expect(question.title == Seed.question)
        #expect(question.answerMarkdown == Seed.answer)
        #expect(question.editedAt == "2026-06-09")
        #expect(question.fragment == nil)
    }

    @Test func relatedQuestionsAreTheOther63InPageOrder() {
        let expected = Seed.relatedTitles.filter { $0 != Seed.question }
        #expect(Seed.relatedTitles.count == 64)
        #expect(question.related.count == 63)
        #expect(question.related.map(\.title) == expected)
        #expect(question.related.first?.title == "Am I qualified to be a project manager?")
        #expect(question.related.first?.url == "https://www.example.org/faq/am-i-qualified-to-be-a-project-manager")
        #expect(question.related.map(\.url) == expected.map { "https://www.example.org/faq/" + Slug.make($0) })
        #expect(!question.related.contains { $0.url == Fixtures.seedURL || $0.title == Seed.question })
        #expect(page.related == question.related)
    }

    @Test func articleCardsAreTheTwelveInPageOrder() {
        #expect(question.articles.count == 12)
        #expect(question.articles.map(\.title) == Seed.cards.map(\.title))
        #expect(question.articles.map(\.summary) == Seed.cards.map(\.summary))
        #expect(question.articles.map(\.url) == Seed.cards.map { "https://www.example.org/articles/" + Slug.make($0.title) })
        #expect(question.articles.map(\.imageURL) == Seed.cards.map { "https://www.example.org/images/articles/" + Slug.make($0.title) + ".jpg" })
        #expect(question.articles.allSatisfy { $0.bodyMarkdown == nil && $0.editedAt == nil })
        #expect(page.articles == question.articles)
    }

    @Test func siteChromeNeverReachesTheAnswer() {
        for text in ["cookie", "Accept all", "Courses", "Privacy notice", "gtag", "dataLayer", "Home", "Related questions", "Last edited"] {
            #expect(!question.answerMarkdown.contains(text), "answer contains \(text)")
        }
    }

    @Test(arguments: [nil, Fixtures.seedURL, Fixtures.seedURL + ".html", "https://www.example.org/faq/is-pmo-more-senior-than-project-manager/", "faq/is-pmo-more-senior-than-project-manager.html"])
    func theSelfLinkIsDroppedWhateverThePageAddress(pageURL: String?) throws {
        let page = try Fixtures.page(Fixtures.seedPath, pageURL: pageURL)
        let question = try #require(page.questions.first)
        #expect(question.related.count == 63)
        #expect(question.related.first?.url == "https://www.example.org/faq/am-i-qualified-to-be-a-project-manager")
        #expect(question.articles.count == 12)
    }

    /// Determinism only (two extractions agree); the values themselves are checked above.
    @Test func extractionIsDeterministic() throws {
        #expect(try Fixtures.page(Fixtures.seedPath) == page)
    }
}

/// The seed's related questions that have their own pages in the fixture site.
@Suite struct RelatedQuestionPageTests {
    @Test func amIQualified() throws {
        let page = try Fixtures.page("site/faq/am-i-qualified-to-be-a-project-manager.html")
        let question = try #require(page.questions.first)
        #expect(page.questions.count == 1)
        #expect(question.title == "Am I qualified to be a project manager?")
        #expect(question.answerMarkdown == """
            You are qualified to be a project manager when you can plan work, lead people and manage risk. Formal certificates such as [PRINCE2 Foundation](https://www.example.org/qualifications/prince2-foundation) or the **APM Project Fundamentals Qualification** help you prove it.

            Many project managers start in a team role and take on *small projects* first.
            """)
        #expect(question.editedAt == "2026-05-03")
        #expect(question.related.count == 7)
        #expect(question.related.last == ExtractedLink(title: Seed.question, url: Fixtures.seedURL))
        #expect(question.articles.map(\.title) == Seed.cards.prefix(3).map(\.title))
    }

    @Test func dateFromTimeElementAndListInAnswer() throws {
        let question = try #require(try Fixtures.page("site/faq/is-pmo-better-than-project-manager.html").questions.first)
        #expect(question.editedAt == "2026-05-21")
        #expect(question.answerMarkdown == """
            Neither role is better: they do different jobs. A project manager delivers one project, while a PMO supports many projects with:

            - governance and reporting,
            - standards and templates, and
            - resource planning.

            Choose the role that suits how you like to work.
            """)
    }

    @Test(arguments: [
        ("site/faq/can-pmo-become-a-project-manager.html", "2026-04-30"),
        ("site/faq/what-is-the-difference-between-a-pmo-and-a-project-manager.html", "2026-04-14"),
    ])
    func editDatesInOtherFormats(path: String, date: String) throws {
        let question = try #require(try Fixtures.page(path).questions.first)
        #expect(question.editedAt == date)
        #expect(!question.answerMarkdown.isEmpty)
        #expect(!question.answerMarkdown.contains("2026"))
    }
}
