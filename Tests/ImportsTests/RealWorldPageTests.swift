import Foundation
import PMCMS
import Testing
@testable import Imports

/// The real pages in `Tests/Fixtures/realworld` extract without a crash, each as an article with
/// a sensible title, summary, image and date. A missing page fails `allTwentyFourPagesArePresent`.
@Suite struct RealWorldPageTests {
    static let pageNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.realWorld.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: Fixtures.realWorld.appendingPathComponent($0 + "/source.html").path) }.sorted()
    }()

    /// What Readability extracts from the page: a reference, not a specification.
    struct Expected: Decodable {
        var title: String?
        var excerpt: String?
        var publishedTime: String?
    }

    @Test func allTwentyFourPagesArePresent() {
        #expect(Self.pageNames.count == 24)
    }

    @Test(arguments: pageNames)
    func extractsAnArticle(name: String) throws {
        let folder = Fixtures.realWorld.appendingPathComponent(name)
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent("source.html")))
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected-metadata.json")))
        let page = try Extractor.extract(bytes, pageURL: "https://\(name).example.com/article")
        #expect(page.questions.isEmpty)
        let article = try #require(page.article)

        #expect(!article.title.isEmpty && article.title.count <= 300)
        if let title = expected.title {
            #expect(PageReader.sharesWords(article.title, title), "title \(article.title) vs \(title)")
        }
        if expected.excerpt != nil {
            let summary = try #require(article.summary)
            #expect(summary.count >= 20 && summary.count <= 1000, "summary: \(summary)")
        }
        if let image = article.imageURL {
            #expect(image.hasPrefix("http://") || image.hasPrefix("https://"), "image: \(image)")
        }
        if let date = article.editedAt {
            #expect(Timestamp.isValid(date), "date: \(date)")
        }
        if let published = expected.publishedTime {
            #expect(article.editedAt.map(Timestamp.day) == Timestamp.day(published))
        }
        let body = try #require(article.bodyMarkdown)
        #expect(body.count >= 200, "body: \(body)")
        for string in Fixtures.allStrings(page) {
            for needle in ["<script", "javascript:", "onclick=", "onerror="] {
                #expect(!string.lowercased().contains(needle), "\(needle) in \(name)")
            }
        }
    }

    /// Pages with an Open Graph or JSON-LD image give it.
    @Test func mostPagesGiveAnImageAndADate() throws {
        var images = 0
        var dates = 0
        for name in Self.pageNames {
            let bytes = Array(try Data(contentsOf: Fixtures.realWorld.appendingPathComponent(name + "/source.html")))
            let article = try Extractor.extract(bytes, pageURL: nil).article
            if article?.imageURL != nil { images += 1 }
            if article?.editedAt != nil { dates += 1 }
        }
        #expect(images >= 20)
        #expect(dates >= 14)
    }
}
