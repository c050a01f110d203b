import Foundation
import Testing
@testable import Imports

/// Pages holding many questions, legacy encodings, broken markup and article pages.
@Suite struct VariantPageTests {
    @Test func faqPageJSONLD() throws {
        let page = try Fixtures.page("site/faq/prince2-questions.html")
        #expect(page.article == nil)
        #expect(page.questions.map(\.title) == ["What is PRINCE2?", "How long is the PRINCE2 Foundation exam?", "Does PRINCE2 certification expire?"])
        // The first fragment comes from the question's @id, the others from the visible sections' ids.
        #expect(page.questions.map(\.fragment) == ["what-is-prince2", "q2", "q3"])
        #expect(page.questions.map(\.answerMarkdown) == [
            "PRINCE2 is a **process-based** method for effective project management, used in the UK and worldwide.",
            "The Foundation exam lasts 60 minutes and has 60 multiple-choice questions.\n\nYou need 36 correct answers to pass.",
            "PRINCE2 7th edition certificates are valid for three years; you keep them current through [continuing professional development](https://www.example.org/articles/prince2-certification-guide).",
        ])
        #expect(page.questions.allSatisfy { $0.editedAt == "2026-05-02T10:15:00Z" })
    }

    @Test func detailsAccordion() throws {
        let page = try Fixtures.page("site/faq/agile-questions.html")
        #expect(page.questions.map(\.title) == ["Do you need a PM in Agile?", "Is a Scrum Master just a project manager?", "What is Kanban?"])
        #expect(page.questions.map(\.fragment) == ["agile-pm", "is-a-scrum-master-just-a-project-manager", "kanban"])
        #expect(page.questions.map(\.answerMarkdown) == [
            "Agile teams still need someone to look after *budgets, stakeholders and risks*, even when the Scrum Master coaches the team.",
            "No. A Scrum Master serves the team and removes impediments; a project manager is accountable for delivery.",
            "Kanban is a method for visualising work and limiting work in progress.\n\n- Visualise the workflow\n- Limit WIP",
        ])
        #expect(page.questions.allSatisfy { $0.editedAt == "2026-06-02" })
    }

    @Test func definitionList() throws {
        let page = try Fixtures.page("site/faq/project-terms.html")
        #expect(page.questions.map(\.title) == ["What is a project charter?", "What is a RACI matrix?", "What is a stage gate?"])
        #expect(page.questions.map(\.fragment) == ["what-is-a-project-charter", "raci", "what-is-a-stage-gate"])
        #expect(page.questions[1].answerMarkdown == "A table that shows who is **Responsible**, Accountable, Consulted and Informed for each task.")
        #expect(page.questions.allSatisfy { $0.editedAt == "2026-01-15T12:00:00Z" })
    }

    @Test func repeatedHeadingBlocks() throws {
        let page = try Fixtures.page("site/faq/career-questions.html")
        #expect(page.questions.map(\.title) == ["Are project managers well paid?", "Is project manager a stressful job?", "How fast can you become a project manager?"])
        #expect(page.questions.map(\.fragment) == ["salary", "is-project-manager-a-stressful-job", "how-fast-can-you-become-a-project-manager"])
        #expect(page.questions[1].answerMarkdown == "It can be. Good planning and clear communication keep the pressure manageable.\n\nMost project managers say the variety makes up for it.")
        #expect(page.questions[2].answerMarkdown == "With a foundation qualification and some team experience, within one to two years.")
        #expect(page.questions.allSatisfy { $0.editedAt == "2026-03-01" })
    }

    @Test func windows1252Declared() throws {
        let bytes = try Fixtures.bytes("site/legacy/cafe-project-windows-1252.html")
        #expect(bytes.contains(0x92) && bytes.contains(0xE9))  // the fixture really is Windows-1252
        let question = try #require(try Extractor.extract(bytes, pageURL: nil).questions.first)
        #expect(question.title == "What\u{2019}s a caf\u{E9} project?")
        #expect(question.answerMarkdown == "It\u{2019}s a small project \u{2013} like opening a caf\u{E9} \u{2013} that still needs a plan, a budget and a named owner. \u{201C}Small\u{201D} doesn\u{2019}t mean \u{201C}unmanaged\u{201D}.")
        #expect(question.editedAt == "2026-02-05")
    }

    @Test func windows1252WithoutDeclaration() throws {
        let bytes = try Fixtures.bytes("site/legacy/resume-no-charset.html")
        #expect(!EncodingDetector.isValidUTF8(bytes))
        let question = try #require(try Extractor.extract(bytes, pageURL: nil).questions.first)
        #expect(question.title == "Should a project manager\u{2019}s r\u{E9}sum\u{E9} list every project?")
        #expect(question.answerMarkdown.contains("r\u{E9}sum\u{E9}\u{2019}s story"))
        #expect(question.editedAt == "2026-03-12")
    }

    @Test func brokenMarkup() throws {
        let page = try Fixtures.page("site/faq/broken-markup.html")
        let question = try #require(page.questions.first)
        #expect(page.canonicalURL == "https://www.example.org/faq/what-makes-a-strong-project-manager")
        #expect(question.title == "What makes a strong project manager?")
        #expect(question.answerMarkdown.hasPrefix("A strong project manager **communicates *clearly*** and often, plans realistically"))
        #expect(question.answerMarkdown.contains("- Leadership\n- Organisation\n- Resilience"))
        #expect(question.answerMarkdown.contains("| Listening | Stakeholders feel heard |"))
        #expect(question.answerMarkdown.contains("risks early & openly"))
        #expect(!question.answerMarkdown.contains("Footer"))
        #expect(question.editedAt == "2026-04-30")
    }

    @Test func articlePageWithOpenGraph() throws {
        let page = try Fixtures.page("site/articles/project-portfolio-management-tools.html")
        let article = try #require(page.article)
        #expect(page.questions.isEmpty)
        #expect(article.title == "Project portfolio management tools")
        #expect(article.summary == Seed.cards[0].summary)
        #expect(article.url == "https://www.example.org/articles/project-portfolio-management-tools")
        #expect(article.imageURL == "https://www.example.org/images/articles/project-portfolio-management-tools.jpg")
        #expect(article.editedAt == "2026-03-02T09:30:00Z")
        let body = try #require(article.bodyMarkdown)
        #expect(body.contains("## What a PPM tool does"))
        #expect(body.contains("- Scores them against strategic goals\n  - benefits\n  - costs and risks"))
        #expect(body.contains("| Tool type | Best for |\n| --- | --- |\n| Spreadsheets | Small portfolios |"))
        #expect(body.contains("> A portfolio is only as good as the decisions it supports."))
        #expect(!body.contains("# Project portfolio management tools"))
    }

    @Test func articlePageWithJSONLDAndAQuestionHeadline() throws {
        let page = try Fixtures.page("site/articles/what-is-prince2-agile.html")
        let article = try #require(page.article)
        #expect(page.questions.isEmpty)
        #expect(article.title == "What is PRINCE2 Agile?")
        #expect(article.summary == Seed.cards[10].summary)
        #expect(article.imageURL == "https://www.example.org/images/articles/what-is-prince2-agile.jpg")
        #expect(article.editedAt == "2026-02-14T15:45:00Z")
        #expect(article.bodyMarkdown?.contains("1. Be on time and hit deadlines\n2. Protect the level of quality") == true)
        #expect(article.bodyMarkdown?.contains("Use `MoSCoW` prioritisation") == true)
    }

    @Test func articlePageWithVisibleDates() throws {
        let article = try #require(try Fixtures.page("site/articles/project-management-steps.html").article)
        #expect(article.title == "Project management steps")
        #expect(article.summary == "Every project, whatever its size, moves through the same five phases: initiation, planning, execution, monitoring and control, and closure.")
        #expect(article.editedAt == "2026-02-28")
        #expect(article.imageURL == "https://www.example.org/images/articles/project-phases.png")
        #expect(article.bodyMarkdown?.contains("## 1. Initiation\n\nAgree why the project exists") == true)
    }
}
