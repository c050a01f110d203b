import Foundation

/// An article page: title, summary, image, date and body.
extension PageReader {
    func article(boundaries: PageBoundaries) -> ExtractedArticle? {
        let content = mainContent()
        let heading = mainHeading()
        let title = articleTitle(heading: heading)
        var excluded: Set<HTMLNode> = Set(boundaries.stopNodes).union(contentExclusions)
        if let heading { excluded.insert(heading) }
        let body = MarkdownConverter(resolver: resolver, excluded: excluded).markdown(of: content)
        let summary = articleSummary(content: content, excluding: heading)
        guard let title = title ?? fallbackTitle(body: body) else { return nil }
        return ExtractedArticle(
            title: title,
            url: canonicalURL ?? absolutePageURL,
            summary: summary,
            imageURL: articleImage(content: content),
            editedAt: articleDate(content: content),
            bodyMarkdown: body.isEmpty ? nil : body)
    }

    private func articleTitle(heading: HTMLNode?) -> String? {
        let documentTitle = documentTitle()
        // An <h1> is often a section or site name ("Allergies Health Center"); trust it only when
        // it agrees with the <title>, or when there is no <title>.
        let headingTitle = heading.map(text).flatMap { heading in
            documentTitle.map { Self.sharesWords(heading, $0) ? heading : nil } ?? heading
        }
        let candidates: [String?] = [
            structured.article?.headline, meta.first("og:title"), meta.first("twitter:title"), meta.first("headline"),
            headingTitle, documentTitle,
        ]
        return candidates.compactMap { $0 }.lazy.map(plainText(fromHTML:)).first { !$0.isEmpty }
    }

    /// Whether two titles share a word of four letters or more.
    static func sharesWords(_ a: String, _ b: String) -> Bool {
        func words(_ text: String) -> Set<String> {
            Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count >= 4 })
        }
        return !words(a).isDisjoint(with: words(b))
    }

    /// The `<title>`, without a trailing " | Site name" when the site's name is known.
    private func documentTitle() -> String? {
        guard let node = document.nodes("//head/title | //title").first else { return nil }
        var title = TextSanitizer.plain(node.children.filter(\.isText).map(\.textContent).joined())
        if let site = meta.first("og:site_name").map(TextSanitizer.plain), !site.isEmpty {
            for separator in [" | ", " - ", " – ", " — ", " :: ", " · "] where title.hasSuffix(separator + site) {
                title.removeLast(separator.count + site.count)
            }
        }
        return title.isEmpty ? nil : title
    }

    private func fallbackTitle(body: String) -> String? {
        let first = body.split(separator: "\n").first.map { TextSanitizer.plain(String($0)).trimmingCharacters(in: CharacterSet(charactersIn: "#>*-_ \\")) } ?? ""
        guard !first.isEmpty else { return nil }
        return first.count > 120 ? String(first.prefix(117)) + "…" : first
    }

    private func articleSummary(content: [HTMLNode], excluding heading: HTMLNode?) -> String? {
        let explicit: [String?] = [structured.article?.description, meta.first("og:description"), meta.first("twitter:description"), meta.first("description")]
        if let summary = explicit.compactMap({ $0 }).lazy.map(plainText(fromHTML:)).first(where: { !$0.isEmpty }) { return summary }
        for node in content {
            let paragraphs = node.name == "p" ? [node] : node.descendants(named: ["p"], skip: ElementPolicy.isSkippedInContent)
            let isDateLine = { (line: String) in line.count < 160 && (DateText.editDate(inLine: line) != nil || DateText.publishDate(inLine: line) != nil) }
            if let paragraph = paragraphs.lazy.map(text).first(where: { $0.count >= 40 && !isDateLine($0) }) {
                return Self.shorten(paragraph, to: 300)
            }
        }
        return nil
    }

    private func articleImage(content: [HTMLNode]) -> String? {
        let imageSrc = document.nodes("//link[@rel='image_src']").first?.attribute("href")
        let explicit: [String?] = [structured.article?.image, meta.first("og:image", "og:image:url", "og:image:secure_url"),
                                   meta.first("twitter:image", "twitter:image:src"), meta.first("image", "thumbnailurl"), imageSrc]
        if let image = explicit.compactMap({ $0 }).lazy.compactMap(resolver.resolve).first(where: { $0.hasPrefix("http") }) {
            return image
        }
        for node in content {
            let images = node.name == "img" ? [node] : node.descendants(named: ["img"], skip: ElementPolicy.isSkippedInContent)
            for image in images {
                // Tracking pixels and icons declare tiny sizes.
                let width = Int(image.attribute("width") ?? "") ?? 1000
                let height = Int(image.attribute("height") ?? "") ?? 1000
                guard width >= 100, height >= 100 else { continue }
                if let url = MarkdownConverter.imageURL(image, resolver: resolver), url.hasPrefix("http") { return url }
            }
        }
        return nil
    }

    /// The nodes holding the article's text: an `articleBody`, else the element whose paragraphs
    /// score highest (longer paragraphs and more commas), with its high-scoring siblings.
    func mainContent() -> [HTMLNode] {
        guard let body else { return [] }
        if let marked = document.nodes("//*[@itemprop='articleBody']").first(where: { text($0).count >= 200 }) {
            return [marked]
        }
        var scores: [HTMLNode: Double] = [:]
        let textBlocks = body.descendants(named: ["p", "pre", "td", "div", "li"], skip: { ElementPolicy.isSkippedInContent($0) || Self.isBoilerplate($0) })
            .filter { node in
                // A <div> or <li> counts as a paragraph only when it holds text directly, not blocks.
                guard node.name == "div" || node.name == "li" else { return true }
                return !node.elementChildren.contains { ElementPolicy.blocks.contains($0.name) && $0.name != "br" }
            }
        for paragraph in textBlocks {
            let content = TextContent.of(paragraph)
            guard content.count >= 25 else { continue }
            let score = 1 + Double(content.filter { $0 == "," }.count) + min(Double(content.count) / 100, 3)
            if let parent = paragraph.parent {
                scores[parent, default: 0] += score
                if let grandparent = parent.parent { scores[grandparent, default: 0] += score / 2 }
            }
        }
        guard let (best, bestScore) = scores.max(by: { $0.value < $1.value }) else { return [body] }
        let threshold = max(10, bestScore * 0.2)
        guard let parent = best.parent else { return [best] }
        let siblings = parent.elementChildren.filter { $0 == best || (scores[$0] ?? 0) >= threshold }
        return siblings.isEmpty ? [best] : siblings
    }

    /// Comment threads, sidebars, share bars and promotions, recognised by class or id: they
    /// hold paragraphs too, but not the article's.
    static func isBoilerplate(_ node: HTMLNode) -> Bool {
        let marks = ((node.attribute("class") ?? "") + " " + (node.attribute("id") ?? "")).lowercased()
        guard !marks.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        return ["comment", "sidebar", "widget", "share", "social", "promo", "advert", "related", "newsletter", "respond"].contains(where: marks.contains)
    }

    static func shorten(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit)
        if let sentenceEnd = cut.lastIndex(where: { $0 == "." || $0 == "!" || $0 == "?" }), cut.distance(from: cut.startIndex, to: sentenceEnd) > limit / 2 {
            return String(cut[...sentenceEnd])
        }
        let words = cut.split(separator: " ").dropLast().joined(separator: " ")
        return words + "…"
    }
}
