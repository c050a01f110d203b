import Foundation
import Testing
@testable import Imports

/// The sample site embedded for `pmcms demo` is a faithful copy of fixture pages and extracts.
@Suite struct SampleSiteTests {
    @Test func filesMatchTheFixtureSite() throws {
        #expect(SampleSite.files.count == 8)
        #expect(Set(SampleSite.files.map(\.path)).count == SampleSite.files.count)
        for file in SampleSite.files {
            #expect(file.bytes == (try Fixtures.bytes("site/" + file.path)), "\(file.path) differs from Tests/Fixtures/site")
        }
    }

    @Test func everyPageExtracts() throws {
        var questions = 0
        var articles = 0
        for file in SampleSite.files {
            let page = try Extractor.extract(file.bytes, pageURL: nil)
            questions += page.questions.count
            articles += page.article == nil ? 0 : 1
        }
        #expect(questions == 10)  // 4 one-question pages, 3 PRINCE2 and 3 agile questions
        #expect(articles == 2)
        let seed = try #require(SampleSite.files.first { $0.path == "faq/is-pmo-more-senior-than-project-manager.html" })
        let question = try #require(try Extractor.extract(seed.bytes, pageURL: nil).questions.first)
        #expect(question.related.count == 63)
        #expect(question.articles.count == 12)
    }
}
