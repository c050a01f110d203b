import PMCMS

/// The questions of a FAQ page, from JSON-LD, microdata, accordions, definition lists and headings.
extension PageReader {
    // MARK: Structured sources

    func structuredQuestions() -> [ExtractedQuestion]? {
        guard !structured.questions.isEmpty else { return nil }
        let visibleIDs = visibleQuestionIDs()
        return structured.questions.compactMap { question in
            let title = plainText(fromHTML: question.name)
            guard !title.isEmpty else { return nil }
            let answer = HTMLMarkdown.convert(question.answerHTML, pageURL: resolver.base?.absoluteString)
            var fragment = question.id.flatMap(Self.fragment(of:)) ?? visibleIDs[title]
            if fragment?.isEmpty == true { fragment = nil }
            return ExtractedQuestion(title: title, answerMarkdown: answer, editedAt: question.dateModified.flatMap(DateText.machine), fragment: fragment)
        }
    }

    /// Questions marked up with schema.org microdata (`itemtype=".../Question"`).
    func microdataQuestions() -> [ExtractedQuestion]? {
        let nodes = document.nodes("//*[@itemscope and @itemtype]").filter {
            ($0.attribute("itemtype") ?? "").lowercased().hasSuffix("schema.org/question")
        }
        let questions: [ExtractedQuestion] = nodes.compactMap { node in
            let props = node.descendants(named: ElementPolicy.blocks.union(["span", "a", "meta", "strong", "em", "b"]), skip: ElementPolicy.isNeverContent)
            guard let nameNode = props.first(where: { $0.attribute("itemprop") == "name" }) else { return nil }
            let title = nameNode.attribute("content").map(TextSanitizer.plain) ?? text(nameNode)
            guard let answer = props.first(where: { $0.attribute("itemprop") == "acceptedAnswer" })
                    ?? props.first(where: { $0.attribute("itemprop") == "suggestedAnswer" }) else { return nil }
            let answerText = answer.descendants(named: ElementPolicy.blocks.union(["span"])).first { $0.attribute("itemprop") == "text" } ?? answer
            let markdown = markdown(of: answerText.children)
            guard !title.isEmpty, !markdown.isEmpty else { return nil }
            return ExtractedQuestion(title: title, answerMarkdown: markdown, fragment: Self.elementID(node) ?? Self.elementID(nameNode))
        }
        return questions.isEmpty ? nil : questions
    }

    // MARK: Visible many-question layouts

    /// `<details><summary>Question?</summary>answer</details>`, at least two, mostly questions.
    func accordionQuestions() -> [ExtractedQuestion]? {
        guard let body else { return nil }
        let details = body.descendants(named: ["details"], skip: Self.isOutsideContent)
        let questions: [ExtractedQuestion] = details.compactMap { item in
            guard let summary = item.elementChildren.first(where: { $0.name == "summary" }) else { return nil }
            let title = text(summary)
            let answer = markdown(of: item.children.filter { $0 != summary })
            guard !title.isEmpty, !answer.isEmpty else { return nil }
            return ExtractedQuestion(title: title, answerMarkdown: answer, fragment: Self.elementID(item) ?? Self.elementID(summary))
        }
        return Self.mostlyQuestions(questions)
    }

    /// `<dl>` with question terms, each answered by the `<dd>`s that follow it.
    func definitionListQuestions() -> [ExtractedQuestion]? {
        guard let body else { return nil }
        var questions: [ExtractedQuestion] = []
        for list in body.descendants(named: ["dl"], skip: Self.isOutsideContent) {
            var term: HTMLNode?
            var answers: [HTMLNode] = []
            func finish() {
                guard let term else { return }
                let title = text(term)
                let answer = answers.map { markdown(of: $0.children) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
                if !title.isEmpty, !answer.isEmpty {
                    questions.append(ExtractedQuestion(title: title, answerMarkdown: answer, fragment: Self.elementID(term)))
                }
            }
            // Definition lists may wrap each dt/dd group in a <div>, which HTML allows.
            let entries = list.elementChildren.flatMap { $0.name == "div" ? $0.elementChildren : [$0] }
            for entry in entries {
                if entry.name == "dt" {
                    finish()
                    term = entry
                    answers = []
                } else if entry.name == "dd" {
                    answers.append(entry)
                }
            }
            finish()
        }
        return Self.mostlyQuestions(questions)
    }

    /// Repeated `<h2>`/`<h3>` question headings, each followed by its answer, on a page whose main
    /// heading is not itself a question.
    func repeatedHeadingQuestions(boundaries: PageBoundaries) -> [ExtractedQuestion]? {
        guard let body else { return nil }
        let headings = body.descendants(named: ["h2", "h3", "h4"], skip: { Self.isOutsideContent($0) || $0.name == "aside" || $0.name == "header" })
            .filter { !boundaries.stops(at: $0) }
        for level in ["h2", "h3", "h4"] {
            let sameLevel = headings.filter { $0.name == level }
            let questionHeadings = sameLevel.filter { Self.isQuestion(text($0)) }
            guard questionHeadings.count >= 2, questionHeadings.count * 2 >= sameLevel.count else { continue }
            let pageTitle = ([document.nodes("//h1").first.map(text), meta.first("og:title"), document.nodes("//title").first.map(text)]
                .compactMap { $0 }).joined(separator: " ").lowercased()
            let looksLikeFAQ = ["faq", "question", "frequently asked", "q&a"].contains(where: pageTitle.contains)
            guard looksLikeFAQ || questionHeadings.count * 10 >= sameLevel.count * 8 else { continue }
            let questions: [ExtractedQuestion] = questionHeadings.compactMap { heading in
                let title = text(heading)
                let answerNodes = answerNodes(after: heading, boundaries: boundaries, stopLevel: ElementPolicy.headingLevel(level) ?? 2)
                let answer = markdown(of: answerNodes)
                guard !answer.isEmpty else { return nil }
                let sectionID = heading.parent.flatMap { section in
                    section.elementChildren.first { ElementPolicy.headings.contains($0.name) } == heading ? Self.elementID(section) : nil
                }
                return ExtractedQuestion(title: title, answerMarkdown: answer, fragment: Self.elementID(heading) ?? sectionID)
            }
            if questions.count >= 2 { return questions }
        }
        return nil
    }

    // MARK: One question per page

    /// The page's main heading, when it is a question with an answer under it.
    func headingQuestion(boundaries: PageBoundaries, dateNode: HTMLNode?) -> ExtractedQuestion? {
        guard let heading = mainHeading() else { return nil }
        let title = text(heading)
        guard Self.isQuestion(title) else { return nil }
        guard contentSections(after: heading, boundaries: boundaries) < 2 else { return nil }  // an article with a question headline
        let nodes = answerNodes(after: heading, boundaries: boundaries, stopLevel: 2, dateNode: dateNode)
        let answer = markdown(of: nodes, excluding: dateNode.map { [$0] } ?? [])
        guard !answer.isEmpty else { return nil }
        return ExtractedQuestion(title: title, answerMarkdown: answer)
    }

    /// How many `<h2>` sections with their own content follow the main heading; headings that
    /// title a related list or a card section do not count.
    func contentSections(after heading: HTMLNode, boundaries: PageBoundaries) -> Int {
        guard let body else { return 0 }
        var seenHeading = false
        var count = 0
        body.walkDescendants { node in
            guard node.isElement, !Self.isOutsideContent(node), node.name != "aside" else { return false }
            if node == heading { seenHeading = true; return false }
            guard seenHeading, node.name == "h2" else { return true }
            let next = node.followingSiblings.first { $0.isElement }
            let titlesBoundary = next.map(boundaries.stops(at:)) ?? true
            let sectionIsBoundary = node.parent.map { parent in
                boundaries.stopNodes.contains { parent.contains($0) } && parent.elementChildren.first == node
            } ?? false
            if !titlesBoundary && !sectionIsBoundary { count += 1 }
            return false
        }
        return count
    }

    /// The page's `<h1>`: one in `<main>`/`<article>` first, then one outside the site header.
    func mainHeading() -> HTMLNode? {
        guard let body else { return nil }
        let candidates = body.descendants(named: ["h1"], skip: { Self.isOutsideContent($0) || $0.name == "aside" })
            .filter { !text($0).isEmpty }
        if let inContent = candidates.first(where: { $0.ancestors.contains { $0.name == "main" || $0.name == "article" || $0.attribute("role") == "main" } }) {
            return inContent
        }
        return candidates.first { !$0.ancestors.contains { $0.name == "header" } } ?? candidates.first
    }

    /// The content after a heading: its following siblings (climbing out of wrappers that hold
    /// nothing else) up to the next heading of `stopLevel` or above, a related list, a card
    /// section, or the end of the section. Trailing headings (a list's own title) are dropped.
    func answerNodes(after heading: HTMLNode, boundaries: PageBoundaries, stopLevel: Int, dateNode: HTMLNode? = nil) -> [HTMLNode] {
        var collected: [HTMLNode] = []
        // What shares a <header> with the heading is a byline or a kicker, not the answer.
        var cursor = heading.ancestors.prefix(3).first { $0.name == "header" } ?? heading
        var climbs = 0
        outer: while true {
            for sibling in cursor.followingSiblings {
                if sibling.isElement {
                    if let level = ElementPolicy.headingLevel(sibling.name), level <= stopLevel { break outer }
                    if boundaries.stops(at: sibling) { break outer }
                    if sibling == dateNode { continue }
                    if ElementPolicy.isSkippedInContent(sibling) {
                        if sibling.name == "footer" { break outer }
                        continue
                    }
                    let innerHeading = sibling.descendants(named: ElementPolicy.headings).first {
                        (ElementPolicy.headingLevel($0.name) ?? 6) <= stopLevel
                    }
                    if innerHeading != nil, !collected.isEmpty { break outer }
                    if innerHeading != nil { continue }
                }
                collected.append(sibling)
            }
            let hasText = collected.contains { !TextContent.of($0).isEmpty }
            guard !hasText, climbs < 4, let up = cursor.parent, !["body", "html", "main"].contains(up.name) else { break }
            cursor = up
            climbs += 1
            collected = []
        }
        while let last = collected.last, last.isText ? TextContent.of(last).isEmpty : ElementPolicy.headingLevel(last.name) != nil {
            collected.removeLast()
        }
        return collected
    }

    // MARK: Helpers

    /// The `id` of a visible question element by its text, so JSON-LD questions get the same
    /// fragment the page uses.
    private func visibleQuestionIDs() -> [String: String] {
        guard let body else { return [:] }
        var ids: [String: String] = [:]
        for node in body.descendants(named: ["h2", "h3", "h4", "summary", "dt", "details", "section", "div", "button"], skip: ElementPolicy.isNeverContent) {
            guard let id = Self.elementID(node) else { continue }
            let title: String
            if node.name == "details" || node.name == "section" || node.name == "div" {
                guard let first = node.elementChildren.first(where: { ["summary", "h2", "h3", "h4"].contains($0.name) }) else { continue }
                title = text(first)
            } else {
                title = text(node)
            }
            if !title.isEmpty, ids[title] == nil { ids[title] = id }
        }
        return ids
    }

    static func elementID(_ node: HTMLNode) -> String? {
        guard let id = node.attribute("id")?.trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty,
              !id.contains(where: { $0.isWhitespace }) else { return nil }
        return id
    }

    /// The fragment part of an `@id` or URL such as `https://…/faq#pmo`.
    static func fragment(of identifier: String) -> String? {
        guard let hash = identifier.firstIndex(of: "#") else { return nil }
        let fragment = String(identifier[identifier.index(after: hash)...])
        return fragment.isEmpty || fragment.contains(where: { $0.isWhitespace }) ? nil : fragment
    }

    /// At least two, and at least half of them question-shaped.
    static func mostlyQuestions(_ questions: [ExtractedQuestion]) -> [ExtractedQuestion]? {
        guard questions.count >= 2, questions.filter({ isQuestion($0.title) }).count * 2 >= questions.count else { return nil }
        return questions
    }
}
