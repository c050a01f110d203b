import Testing
@testable import PMCMS

/// When a page found by its path is "entirely different" from the entry at that path.
@Suite struct PageLikenessTests {
    let budget = "Budgets start with a work breakdown structure, then an estimate for each work package, then a contingency reserve."
    let retro = "A retrospective is a meeting held at the end of an iteration in which the team reflects on what went well."

    @Test func unrelatedPagesAreEntirelyDifferent() {
        #expect(PageLikeness.entirelyDifferent(title: "How to plan a budget", body: budget, title: "Agile retrospectives", body: retro))
    }

    @Test func aRevisedPageIsTheSamePage() {
        // Same title, any text: the page was rewritten.
        #expect(!PageLikeness.entirelyDifferent(title: "How to plan a budget", body: budget, title: "How to Plan a Budget!", body: retro))
        // New title, most of the text kept.
        #expect(!PageLikeness.entirelyDifferent(title: "How to plan a budget", body: budget, title: "Planning budgets", body: budget + " Review it monthly."))
    }

    @Test func anEntryWithoutTextIsNeverACollision() {
        // An article card made the entry (title only); its page arrives with a longer title.
        #expect(!PageLikeness.entirelyDifferent(title: "PPM tools", body: "", title: "Project portfolio management tools: a guide", body: budget))
    }
}
