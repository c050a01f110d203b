import Foundation

/// Walks HTML nodes and builds `MarkdownBlock`s. Recursion follows the tree, so it is bounded by
/// `maxDepth`: deeper content is read as flat text rather than risking the thread's stack.
struct MarkdownConverter {
    let resolver: URLResolver
    /// Nodes left out in addition to the policy's (e.g. the date line or the related list when
    /// converting an answer).
    var excluded: Set<HTMLNode> = []
    static let maxDepth = 64

    init(resolver: URLResolver, excluded: Set<HTMLNode> = []) {
        self.resolver = resolver
        self.excluded = excluded
    }

    /// The Markdown for a run of sibling nodes.
    func markdown(of nodes: [HTMLNode]) -> String {
        MarkdownRenderer.render(blocks(of: nodes, depth: 0))
    }

    func isSkipped(_ node: HTMLNode) -> Bool {
        guard node.isElement else { return !node.isText }
        if excluded.contains(node) { return true }
        return ElementPolicy.isSkippedInContent(node)
    }

    // MARK: Blocks

    func blocks(of nodes: [HTMLNode], depth: Int) -> [MarkdownBlock] {
        var result: [MarkdownBlock] = []
        var pending: [MarkdownInline] = []
        func flush() {
            if !MarkdownInline.isBlank(pending) { result.append(.paragraph(pending)) }
            pending = []
        }
        for node in nodes {
            if node.isText {
                pending.append(.text(Self.cleanText(node.textContent)))
                continue
            }
            guard !isSkipped(node) else { continue }
            if depth >= Self.maxDepth {
                pending.append(.text(" " + Self.cleanText(TextContent.of(node, skip: isSkipped)) + " "))
                continue
            }
            let name = node.name
            if ElementPolicy.transparentVoids.contains(name) {
                flush()
                result += blocks(of: node.children, depth: depth + 1)
            } else if name == "br" {
                pending.append(.lineBreak)
            } else if ElementPolicy.blocks.contains(name) {
                flush()
                result += block(node, depth: depth + 1)
            } else {
                pending += inlines(of: [node], depth: depth + 1)
            }
        }
        flush()
        return result
    }

    private func block(_ node: HTMLNode, depth: Int) -> [MarkdownBlock] {
        let name = node.name
        if let level = ElementPolicy.headingLevel(name) {
            let content = inlines(of: node.children, depth: depth)
            return MarkdownInline.isBlank(content) ? [] : [.heading(level: level, content)]
        }
        switch name {
        case "ul", "ol":
            let start = Int(node.attribute("start") ?? "") ?? 1
            var items: [[MarkdownBlock]] = []
            var loose: [HTMLNode] = []
            for child in node.children where !isSkipped(child) || child.isText {
                if child.name == "li" {
                    if !loose.isEmpty { items.append(blocks(of: loose, depth: depth)); loose = [] }
                    items.append(blocks(of: child.children, depth: depth))
                } else if child.name == "ul" || child.name == "ol" {
                    // A list nested directly in a list (invalid but common) belongs to the previous item.
                    let nested = block(child, depth: depth + 1)
                    if items.isEmpty { items.append(nested) } else { items[items.count - 1] += nested }
                } else {
                    loose.append(child)
                }
            }
            if !loose.isEmpty { items.append(blocks(of: loose, depth: depth)) }
            items = items.filter { !$0.isEmpty }
            return items.isEmpty ? [] : [.list(ordered: name == "ol", start: max(0, start), items: items)]
        case "blockquote":
            let inner = blocks(of: node.children, depth: depth)
            return inner.isEmpty ? [] : [.quote(inner)]
        case "pre":
            return [.code(TextContent.rawText(of: node, skip: isSkipped))]
        case "hr":
            return [.rule]
        case "table":
            return table(node, depth: depth)
        case "dl":
            var result: [MarkdownBlock] = []
            for child in node.children where !isSkipped(child) {
                if child.name == "dt" {
                    let term = inlines(of: child.children, depth: depth)
                    if !MarkdownInline.isBlank(term) { result.append(.paragraph([.strong(term)])) }
                } else if child.name == "dd" {
                    result += blocks(of: child.children, depth: depth)
                } else {
                    result += blocks(of: [child], depth: depth)
                }
            }
            return result
        case "summary", "dt", "caption", "figcaption", "th":
            let content = inlines(of: node.children, depth: depth)
            return MarkdownInline.isBlank(content) ? [] : [.paragraph(content)]
        default:
            return blocks(of: node.children, depth: depth)
        }
    }

    /// A GFM table for a data table; a layout table (cells holding blocks) is read as its cells'
    /// content in order instead, since Markdown tables cannot hold paragraphs or lists.
    private func table(_ node: HTMLNode, depth: Int) -> [MarkdownBlock] {
        let rows = node.descendants(named: ["tr"], skip: { $0.name == "table" || isSkipped($0) })
        let cells = rows.map { row in row.elementChildren.filter { ($0.name == "td" || $0.name == "th") && !isSkipped($0) } }
        let isLayout = cells.contains { row in
            row.contains { cell in
                !cell.descendants(named: ["p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "blockquote", "pre"], skip: isSkipped).isEmpty
            }
        } || cells.allSatisfy { $0.count <= 1 }
        if isLayout {
            return cells.flatMap { row in row.flatMap { blocks(of: $0.children, depth: depth) } }
        }
        let converted = cells.map { row in row.map { inlines(of: $0.children, depth: depth) } }
        return converted.isEmpty ? [] : [.table(rows: converted)]
    }

    // MARK: Inlines

    func inlines(of nodes: [HTMLNode], depth: Int) -> [MarkdownInline] {
        var result: [MarkdownInline] = []
        for node in nodes {
            if node.isText {
                result.append(.text(Self.cleanText(node.textContent)))
                continue
            }
            guard !isSkipped(node) else { continue }
            if depth >= Self.maxDepth {
                result.append(.text(" " + Self.cleanText(TextContent.of(node, skip: isSkipped)) + " "))
                continue
            }
            result += inline(node, depth: depth + 1)
        }
        return result
    }

    private func inline(_ node: HTMLNode, depth: Int) -> [MarkdownInline] {
        let children = { inlines(of: node.children, depth: depth) }
        switch node.name {
        case "br":
            return [.lineBreak]
        case "em", "i", "cite", "dfn", "var":
            return [.emphasis(children())]
        case "strong", "b":
            return [.strong(children())]
        case "del", "s", "strike":
            return [.strikethrough(children())]
        case "code", "kbd", "samp", "tt":
            return [.code(TextContent.rawText(of: node, skip: isSkipped))]
        case "img":
            return image(node).map { [$0] } ?? []
        case "a":
            let content = children()
            guard let href = node.attribute("href"), let url = resolver.resolve(href) else { return content }
            return [.link(content, url: url)]
        default:
            let content = children()
            // Block elements met inside inline content still separate words.
            return ElementPolicy.blocks.contains(node.name) ? [.text(" ")] + content + [.text(" ")] : content
        }
    }

    /// An image with a safe address; lazy-loading pages keep the real address in `data-src`.
    func image(_ node: HTMLNode) -> MarkdownInline? {
        guard let url = Self.imageURL(node, resolver: resolver) else { return nil }
        return .image(alt: Self.cleanText(node.attribute("alt") ?? ""), url: url)
    }

    static func imageURL(_ node: HTMLNode, resolver: URLResolver) -> String? {
        for attribute in ["src", "data-src", "data-original", "data-lazy-src"] {
            if let raw = node.attribute(attribute), let url = resolver.resolve(raw), !url.hasPrefix("mailto:"), !url.hasPrefix("tel:") {
                return url
            }
        }
        if let srcset = node.attribute("srcset") ?? node.attribute("data-srcset"),
           let first = srcset.split(separator: ",").first?.split(separator: " ").first,
           let url = resolver.resolve(String(first)) {
            return url
        }
        return nil
    }

    /// Page text as it should read: whitespace collapsed (keeping a space at the edges for the
    /// joins between inline runs) and leftover tag-like text (double-escaped markup) removed.
    static func cleanText(_ text: String) -> String {
        Whitespace.collapseKeepingEdges(TextSanitizer.stripTagLikeText(text))
    }
}
