/// The page's related-questions list and article cards: found once, then used both as values and
/// as the places where an answer stops.
struct PageBoundaries {
    /// An article card and the element that holds it.
    struct Card {
        var node: HTMLNode
        var article: ExtractedArticle
    }

    var related: [ExtractedLink] = []
    var relatedContainers: [HTMLNode] = []
    var cards: [Card] = []

    init(reader: PageReader) {
        guard let body = reader.body else { return }
        findRelated(in: body, reader: reader)
        findCards(in: body, reader: reader)
    }

    /// All nodes an answer must not run into.
    var stopNodes: [HTMLNode] { relatedContainers + cards.map(\.node) }

    /// Whether `node` is, or holds, a related list or a card.
    func stops(at node: HTMLNode) -> Bool {
        stopNodes.contains { node.contains($0) }
    }

    // MARK: Related questions

    /// A related-questions list is an element whose children are nearly all single links, most of
    /// them question-shaped and to other pages of the same site: a `<ul>` of links, or a `<div>`
    /// of `<a>`s. Every such list on the page counts, in page order, without duplicates and
    /// without links to the page itself.
    private mutating func findRelated(in body: HTMLNode, reader: PageReader) {
        var seen = Set<String>()
        body.walkDescendants { node in
            guard node.isElement, !PageReader.isOutsideContent(node), node.name != "header" else { return false }
            guard let links = Self.relatedLinks(in: node, reader: reader) else { return true }
            relatedContainers.append(node)
            for link in links where seen.insert(reader.comparisonKey(link.url)).inserted {
                related.append(link)
            }
            return false
        }
    }

    private static func relatedLinks(in node: HTMLNode, reader: PageReader) -> [ExtractedLink]? {
        let units = node.elementChildren.filter { !ElementPolicy.isNeverContent($0) }
        guard units.count >= 2 else { return nil }
        // Every element of the page is asked, so the cheap structural test (enough units hold
        // exactly one link) comes before any text is read or address resolved; each later test
        // can only remove links, so an early "no" is the same answer the full test would give.
        func enough(_ count: Int) -> Bool { count >= 2 && count * 10 >= units.count * 8 }
        var single: [(unit: HTMLNode, anchor: HTMLNode, href: String)] = []
        for unit in units {
            let anchors = unit.name == "a" ? [unit] : unit.descendants(named: ["a"], skip: ElementPolicy.isNeverContent)
            guard anchors.count == 1, let anchor = anchors.first, let href = anchor.attribute("href") else { continue }
            single.append((unit, anchor, href))
        }
        guard enough(single.count) else { return nil }
        let titled = single.compactMap { unit, anchor, href -> (title: String, href: String)? in
            let title = reader.text(anchor)
            guard !title.isEmpty, title.unicodeScalars.count * 10 >= reader.text(unit).unicodeScalars.count * 7 else { return nil }
            return (title, href)
        }
        guard enough(titled.count) else { return nil }
        var links: [(title: String, url: String, selfLink: Bool)] = []
        for (title, href) in titled {
            guard let url = reader.resolver.resolve(href), reader.isSiteLink(url) else { continue }
            links.append((title, url, reader.isSelf(url)))
        }
        guard enough(links.count) else { return nil }
        let questions = links.filter { PageReader.isQuestion($0.title) }.count
        guard questions * 10 >= links.count * 6 else { return nil }
        return links.filter { !$0.selfLink }.map { ExtractedLink(title: $0.title, url: $0.url) }
    }

    // MARK: Article cards

    /// A card is the smallest element around an image that also holds a title link and a short
    /// summary, and no other image. Cards are returned in page order.
    private mutating func findCards(in body: HTMLNode, reader: PageReader) {
        let images = body.descendants(named: ["img"]) { PageReader.isOutsideContent($0) || $0.name == "header" }
        var seen = Set<HTMLNode>()
        for image in images {
            guard let card = Self.card(around: image, reader: reader), !seen.contains(card.node),
                  !relatedContainers.contains(where: { $0.contains(card.node) }) else { continue }
            seen.insert(card.node)
            cards.append(card)
        }
    }

    private static func card(around image: HTMLNode, reader: PageReader) -> Card? {
        guard let imageURL = MarkdownConverter.imageURL(image, resolver: reader.resolver) else { return nil }
        var candidate = image.parent
        var level = 0
        while let node = candidate, level < 6, !["body", "main", "html"].contains(node.name) {
            level += 1
            candidate = node.parent
            let images = node.descendants(named: ["img"], skip: ElementPolicy.isNeverContent)
            guard images.count == 1 else { return nil }
            guard node.descendants(named: ["h1"]).isEmpty else { return nil }
            let anchors = node.descendants(named: ["a"], skip: ElementPolicy.isNeverContent).filter { $0.attribute("href") != nil }
            let headings = node.descendants(named: ["h2", "h3", "h4", "h5", "h6"], skip: ElementPolicy.isNeverContent)
            let heading = headings.first { !reader.text($0).isEmpty }
            // A picture in running text (an answer's "with <img>") is not a card: a card titles
            // itself with a heading or links its picture.
            guard heading != nil || image.ancestors.prefix(level).contains(where: { $0.name == "a" }) else { continue }
            let titleAnchor = heading.flatMap { h in anchors.first { h.contains($0) } ?? (h.ancestors.first { $0.name == "a" }) }
                ?? anchors.filter { !reader.text($0).isEmpty }.max { reader.text($0).count < reader.text($1).count }
            guard let titleAnchor else { continue }
            let title = heading.map(reader.text) ?? reader.text(titleAnchor)
            guard !title.isEmpty else { continue }
            let whole = reader.text(node)
            guard whole.count <= 1200 else { return nil }
            let summary = summaryText(in: node, title: title, reader: reader)
            guard let summary, !summary.isEmpty else { continue }
            let url = (anchors.first { $0 == titleAnchor } ?? titleAnchor).attribute("href").flatMap(reader.resolver.resolve)
                ?? anchors.lazy.compactMap { $0.attribute("href").flatMap(reader.resolver.resolve) }.first
            guard let url else { continue }
            return Card(node: node, article: ExtractedArticle(title: title, url: url, summary: summary, imageURL: imageURL))
        }
        return nil
    }

    /// The card's summary: its first paragraph that is not the title, else its text without the title.
    private static func summaryText(in card: HTMLNode, title: String, reader: PageReader) -> String? {
        for paragraph in card.descendants(named: ["p"], skip: ElementPolicy.isNeverContent) {
            let text = reader.text(paragraph)
            if text.count >= 12, text != title { return text }
        }
        var rest = reader.text(card)
        if let range = rest.range(of: title) { rest.removeSubrange(range) }
        rest = Whitespace.collapse(rest)
        return rest.count >= 12 ? rest : nil
    }
}
