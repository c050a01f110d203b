import CLibXML2

/// Undoes what libxml2 2.9 does with an unclosed `<svg>`, `<math>`, `<button>` or `<map>`: it
/// knows none of them as containers that HTML content ends, so the rest of the page is nested
/// inside, and dropping the element (as the sanitizing rules do) would drop the page with it.
///
/// A browser ends foreign content (SVG, MathML) at the first HTML element that cannot be part of
/// it (`<p>`, `<div>`, a heading, …): from that element on, the content moves out, after the
/// element, where a browser has it. A button holds a label and a map its areas, never a page
/// section: from the first paragraph, heading, list or table on, the content moves out the same way.
///
/// Old markup's unclosed list items get the same treatment: in `<LI><A HREF=…>One<LI>…` libxml2
/// nests each item inside the previous one's link; a browser makes them siblings.
enum UnclosedContainers {
    /// HTML elements that end SVG and MathML content in a browser (the HTML standard's "breakout"
    /// start tags in foreign content).
    static let foreignBreakouts: Set<String> = [
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta",
        "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup",
        "table", "tt", "u", "ul", "var",
    ]

    /// Page sections that are never part of a button's label.
    static let buttonBreakouts: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "section", "article", "main",
        "header", "footer", "nav", "aside", "form", "blockquote", "pre", "hr", "figure", "details",
    ]

    /// Moves content out of every unclosed container of `document`, in one pass in document
    /// order: what moves out lands just after its container, which the walk visits next.
    static func repair(_ document: HTMLDocument) {
        guard let root = document.root else { return }
        root.walkDescendants { node in
            guard node.isElement else { return false }
            switch node.name {
            case "svg", "math":
                moveOut(from: node, breakouts: foreignBreakouts)
                return false  // dropped with its content: nothing inside to repair
            case "button", "map":
                moveOut(from: node, breakouts: buttonBreakouts)
                return false
            case "li":
                moveOut(from: node, breakouts: ["li"], notInside: lists)
            case "dt", "dd":
                moveOut(from: node, breakouts: ["dt", "dd"], notInside: lists)
            default:
                break
            }
            return true
        }
    }

    private static func moveOut(from container: HTMLNode, breakouts: Set<String>, notInside: Set<String> = []) {
        if let first = firstBreakout(in: container, breakouts, notInside: notInside) {
            moveOut(from: container, startingAt: first)
        }
    }

    /// Elements that hold list items of their own: an item inside one is a nested list's.
    static let lists: Set<String> = ["ul", "ol", "menu", "dl", "table"]

    /// The first descendant (document order) that ends the container, not looking inside
    /// `<foreignObject>`, where SVG holds HTML on purpose, nor inside `notInside`.
    private static func firstBreakout(in container: HTMLNode, _ breakouts: Set<String>, notInside: Set<String>) -> HTMLNode? {
        var found: HTMLNode?
        container.walkDescendants { node in
            guard found == nil, node.isElement else { return false }
            if node.name == "foreignobject" || notInside.contains(node.name) { return false }
            if breakouts.contains(node.name) {
                found = node
                return false
            }
            return true
        }
        return found
    }

    /// Moves `start`, its following siblings and those of each of its ancestors below
    /// `container` to just after `container`, in document order.
    private static func moveOut(from container: HTMLNode, startingAt start: HTMLNode) {
        var moving: [HTMLNode] = [start] + start.followingSiblings
        var ancestor = start.parent
        while let current = ancestor, current != container {
            moving += current.followingSiblings
            ancestor = current.parent
        }
        var anchor = container.pointer
        for node in moving {
            xmlUnlinkNode(node.pointer)
            if let added = xmlAddNextSibling(anchor, node.pointer) { anchor = added }
        }
    }
}
