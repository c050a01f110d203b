import Foundation
import Imports

/// Paths of the test fixtures (the real-world pages among them), found relative to this file.
enum Fixtures {
    /// The repository root: this file is `<root>/Tests/ImportsTests/Fixtures.swift`.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures")
    /// 24 real pages from other sites, kept in the repository with their licence (see its README).
    static let realWorld = directory.appendingPathComponent("realworld")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }

    /// Extracts a fixture of the site as the import run would: with its address on the site.
    static func page(_ relativePath: String, pageURL: String? = nil) throws -> ExtractedPage {
        try Extractor.extract(bytes(relativePath), pageURL: pageURL)
    }

    static let seedPath = "site/faq/is-pmo-more-senior-than-project-manager.html"
    static let seedURL = "https://www.example.org/faq/is-pmo-more-senior-than-project-manager"

    /// Every string an extracted page holds, for checks that something never appears anywhere.
    static func allStrings(_ page: ExtractedPage) -> [String] {
        var strings: [String] = [page.canonicalURL].compactMap { $0 }
        func add(_ article: ExtractedArticle) {
            strings += [article.title, article.url, article.summary, article.imageURL, article.editedAt, article.bodyMarkdown].compactMap { $0 }
        }
        for question in page.questions {
            strings += [question.title, question.answerMarkdown, question.editedAt, question.fragment].compactMap { $0 }
            strings += question.related.flatMap { [$0.title, $0.url] }
            question.articles.forEach(add)
        }
        strings += page.related.flatMap { [$0.title, $0.url] }
        page.articles.forEach(add)
        if let article = page.article { add(article) }
        return strings
    }
}
