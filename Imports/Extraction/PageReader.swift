import Foundation
import PMCMS

/// Reads one parsed page, from the most explicit source of each value down to the visible text.
struct PageReader {
    let document: HTMLDocument
    let body: HTMLNode?
    let meta: MetaTags
    let structured: StructuredData
    let canonicalURL: String?
    let resolver: URLResolver
    /// Comparison keys of every address the page itself is known by.
    let selfKeys: Set<String>
    /// US-English pages write numeric dates month first.
    let monthFirst: Bool
    /// The page's own address when it is an absolute http(s) URL.
    let absolutePageURL: String?
    /// Elements never part of an answer or body, such as the "Last edited on" line.
    var contentExclusions: Set<HTMLNode> = []
    /// Answers already worked out for this page, shared by the reader's copies.
    private let memo = Memo()

    /// The text of nodes and the comparison keys of addresses, each worked out once per page:
    /// finding the related list, the cards and the answer reads the same nodes many times.
    private final class Memo {
        var texts: [HTMLNode: String] = [:]
        var keys: [String: String] = [:]
    }

    init(document: HTMLDocument, pageURL: String?) {
        self.document = document
        body = document.body
        meta = MetaTags(document: document)
        structured = StructuredData(document: document)
        let lang = (document.root?.attribute("lang") ?? "").lowercased()
        monthFirst = lang == "en-us"

        // The canonical address may itself be relative; resolve it against the page's address.
        let pageResolver = URLResolver(pageURL: pageURL, baseHref: nil)
        let canonicalHref = document.nodes("//link[@rel and @href]").first {
            ($0.attribute("rel") ?? "").lowercased().split(separator: " ").contains("canonical")
        }?.attribute("href")
        let candidates = [canonicalHref, meta.first("og:url")].compactMap { $0 }
        canonicalURL = candidates.lazy.compactMap { pageResolver.resolve($0) }.first { URLResolver.absoluteHTTP($0) != nil }

        absolutePageURL = pageURL.flatMap { URLResolver.absoluteHTTP($0) != nil ? $0 : nil }
        let reference = absolutePageURL ?? canonicalURL
        let baseHref = document.nodes("//base[@href]").first?.attribute("href")
        resolver = URLResolver(pageURL: reference, baseHref: baseHref)
        selfKeys = Set([pageURL, canonicalURL, reference].compactMap { $0 }.map(URLResolver.comparisonKey))
    }

    func read() -> ExtractedPage {
        let boundaries = PageBoundaries(reader: self)
        let date = questionDate()
        var reader = self
        if let node = date.node { reader.contentExclusions.insert(node) }
        return reader.read(boundaries: boundaries, date: date)
    }

    private func read(boundaries: PageBoundaries, date: FoundDate) -> ExtractedPage {
        var page = ExtractedPage(canonicalURL: canonicalURL, related: boundaries.related, articles: boundaries.cards.map(\.article))
        var questions = structuredQuestions() ?? microdataQuestions() ?? []
        if questions.isEmpty {
            questions = accordionQuestions() ?? definitionListQuestions() ?? []
        }
        // A question headline makes a FAQ page unless the page calls itself an article and shows
        // none of a FAQ page's furniture (related questions, article cards, an edit-date line):
        // SEO plugins label every page "Article", so the label alone cannot decide.
        let hasFAQFurniture = !boundaries.related.isEmpty || !boundaries.cards.isEmpty || date.node != nil
        if questions.isEmpty, !declaresArticle || hasFAQFurniture, let single = headingQuestion(boundaries: boundaries, dateNode: date.node) {
            questions = [single]
        }
        if questions.isEmpty {
            questions = repeatedHeadingQuestions(boundaries: boundaries) ?? []
        }
        if questions.isEmpty {
            page.article = article(boundaries: boundaries)
            return page
        }
        let isSingle = questions.count == 1
        var usedFragments = Set<String>()
        for index in questions.indices {
            questions[index].editedAt = questions[index].editedAt ?? date.value
            questions[index].related = page.related
            questions[index].articles = page.articles
            if isSingle {
                questions[index].fragment = nil
            } else {
                let wanted = questions[index].fragment ?? Slug.make(questions[index].title)
                var fragment = wanted
                var counter = 2
                while usedFragments.contains(fragment) {
                    fragment = "\(wanted)-\(counter)"
                    counter += 1
                }
                usedFragments.insert(fragment)
                questions[index].fragment = fragment
            }
        }
        page.questions = questions
        return page
    }

    // MARK: Shared helpers

    /// Whether a link points at this very page (any of its known addresses, fragment ignored).
    func isSelf(_ url: String) -> Bool {
        selfKeys.contains(comparisonKey(url))
    }

    /// `URLResolver.comparisonKey(url)`, remembered for the page.
    func comparisonKey(_ url: String) -> String {
        if let key = memo.keys[url] { return key }
        let key = URLResolver.comparisonKey(url)
        memo.keys[url] = key
        return key
    }

    /// Whether `url` is a web page on this site: an http(s) link to the page's host, or, when
    /// the page's address is unknown, a relative link (kept relative: nothing to resolve against).
    func isSiteLink(_ url: String) -> Bool {
        if url.hasPrefix("http://") || url.hasPrefix("https://") { return isSameSite(url) }
        return resolver.base == nil && URLResolver.scheme(of: url) == nil
    }

    /// Whether `url` is on the page's own site (or relative, when the site is unknown).
    func isSameSite(_ url: String) -> Bool {
        guard let base = resolver.baseHost else { return true }
        guard let host = SimpleURL(url).map({ $0.host.lowercased() }) ?? URLComponents(string: url)?.host?.lowercased() else { return true }
        func bare(_ host: String) -> String { host.hasPrefix("www.") ? String(host.dropFirst(4)) : host }
        return bare(host) == bare(base)
    }

    /// Plain text of a node for titles and summaries.
    func text(_ node: HTMLNode) -> String {
        if let text = memo.texts[node] { return text }
        let text = TextSanitizer.plain(TextContent.of(node))
        memo.texts[node] = text
        return text
    }

    /// Plain text of a value that may hold HTML markup or entities (JSON-LD, meta content).
    func plainText(fromHTML value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else { return TextSanitizer.plain(value) }
        guard let fragment = HTMLDocument(bytes: Array(("<body>" + value).utf8), encoding: "UTF-8") else { return TextSanitizer.plain(value) }
        return fragment.withNodes { document in
            guard let body = document.body else { return "" }
            return TextSanitizer.plain(TextContent.of(body))
        }
    }

    func markdown(of nodes: [HTMLNode], excluding excluded: Set<HTMLNode> = []) -> String {
        MarkdownConverter(resolver: resolver, excluded: excluded.union(contentExclusions)).markdown(of: nodes)
    }

    /// Whether the page says it is an article (schema.org article type or `og:type` article), so
    /// that a question-shaped headline does not make it a FAQ page.
    var declaresArticle: Bool {
        structured.declaresArticle || (meta.first("og:type")?.lowercased() == "article")
    }

    /// Elements not searched for content structure: never-content plus site navigation and footers.
    static func isOutsideContent(_ node: HTMLNode) -> Bool {
        ElementPolicy.isNeverContent(node) || node.name == "nav" || node.name == "footer"
    }

    /// Question-shaped text: ends with a question mark.
    static func isQuestion(_ text: String) -> Bool {
        let trimmed = text.trimmedOfWhitespaceAndNewlines
        return trimmed.count >= 4 && (trimmed.hasSuffix("?") || trimmed.hasSuffix("？"))
    }
}
