import Foundation
public import PMCMS  // imports into a ContentStore, with its types (Status, IncomingEntry)

/// Turns what a page gave into the entries the store imports: pure, so it is tested without a
/// store.
public enum PageMapping {
    /// The entries of `page`, identified by its canonical URL (else `og:url`), else by
    /// `identity`, the address the import gave it from where it was found (`--base-url` + its
    /// path from the site root, `--url`, or `file://` + its absolute path): article cards first
    /// (so the question's links resolve at once), then the questions or the article. A page with
    /// neither (standard input without `--url`) is refused rather than given a made-up identity.
    public static func entries(for page: ExtractedPage, identity: String?) throws -> [IncomingEntry] {
        let canonical = page.canonicalURL.flatMap { URLCheck.problem($0) == nil ? $0 : nil }
        guard let source = canonical ?? identity else { throw ImportError.noIdentity }
        let byPath = canonical == nil
        // A `file://` identity is not a web address: the entry then has no source URL.
        let sourceURL = webURL(source)
        var entries: [IncomingEntry] = []
        var seenCards: Set<String> = []
        if !page.questions.isEmpty {
            let many = page.questions.count > 1
            var usedFragments: Set<String> = []
            for (index, question) in page.questions.enumerated() {
                let title = oneLine(question.title)
                guard !title.isEmpty else { continue }
                // An empty answer is text the import lost (markup it could not read), never an
                // entry to publish.
                guard !question.answerMarkdown.trimmedOfWhitespaceAndNewlines.isEmpty else { throw ImportError.emptyAnswer(question: title) }
                var key = source
                if many {
                    var fragment = question.fragment ?? Slug.make(title)
                    if usedFragments.contains(fragment) { fragment += "-\(index + 1)" }
                    usedFragments.insert(fragment)
                    key = source.split(separator: "#", maxSplits: 1).first.map(String.init).map { $0 + "#" + fragment } ?? source
                }
                var articleLinks: [LinkRef] = []
                for card in question.articles {
                    let cardTitle = oneLine(card.title)
                    guard !cardTitle.isEmpty else { continue }
                    let cardURL = card.url.flatMap(webURL) ?? "\(key)#article-\(Slug.make(cardTitle))"
                    // A card with no address of its own on a page known only by its file has no web
                    // address to link by: its entry is still made, without the link.
                    if webURL(cardURL) != nil { articleLinks.append(LinkRef(title: cardTitle, url: cardURL)) }
                    if seenCards.insert(cardURL).inserted {
                        entries.append(IncomingEntry(key: cardURL, kind: .article, content: Content(
                            status: .draft, title: cardTitle, summary: card.summary.map(oneLine).flatMap(nonEmpty),
                            imageURL: card.imageURL.flatMap(webURL), sourceURL: card.url.flatMap(webURL),
                            editedAt: card.editedAt.flatMap(validDate)), isCard: true))
                    }
                }
                let related = question.related.compactMap { link -> LinkRef? in
                    guard let url = webURL(link.url), url != source else { return nil }
                    let linkTitle = oneLine(link.title)
                    return LinkRef(title: linkTitle.isEmpty ? url : linkTitle, url: url)
                }
                entries.append(IncomingEntry(key: key, kind: .question, content: Content(
                    status: .draft, title: title, body: question.answerMarkdown,
                    sourceURL: sourceURL == nil ? nil : key, editedAt: question.editedAt.flatMap(validDate),
                    related: related, articles: articleLinks), identifiedByPath: byPath))
            }
        } else if let article = page.article {
            let title = oneLine(article.title)
            if !title.isEmpty {
                guard !(article.bodyMarkdown ?? "").trimmedOfWhitespaceAndNewlines.isEmpty else { throw ImportError.emptyAnswer(question: title) }
                entries.append(IncomingEntry(key: source, kind: .article, content: Content(
                    status: .draft, title: title, body: article.bodyMarkdown ?? "",
                    summary: article.summary.map(oneLine).flatMap(nonEmpty), imageURL: article.imageURL.flatMap(webURL),
                    sourceURL: sourceURL, editedAt: article.editedAt.flatMap(validDate)), identifiedByPath: byPath))
            }
        }
        guard entries.contains(where: { !$0.isCard }) else { throw ImportError.nothingFound }
        return entries
    }

    static func oneLine(_ text: String) -> String {
        // Nearly every title is already one line of ASCII with single spaces.
        if let first = text.utf8.first, let last = text.utf8.last, first != 0x20, last != 0x20, !text.utf8.contains(0x20, followedBy: 0x20),
           text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return text
        }
        return text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }

    static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    /// A URL the store accepts, or nil: a broken image or link is dropped, not a failed page.
    static func webURL(_ text: String) -> String? {
        let trimmed = text.trimmedOfWhitespaceAndNewlines
        return URLCheck.problem(trimmed) == nil ? trimmed : nil
    }

    static func validDate(_ text: String) -> String? { Timestamp.isValid(text) ? text : nil }
}
