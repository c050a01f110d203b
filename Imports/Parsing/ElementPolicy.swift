/// Which elements carry content and which are dropped: the one place the sanitizing rules live.
enum ElementPolicy {
    /// Elements never read, with everything inside them: active content, embedded documents,
    /// form controls, media players and metadata. A `<form>` itself is not among them: ASP.NET
    /// WebForms pages hold the whole page in one, so its text is read and only its controls are
    /// dropped; a `<map>` shows its content too (its `<area>`s are looked through, as voids).
    /// An unclosed `<svg>`, `<math>` or `<button>` no longer holds the rest of the page when these
    /// rules apply: `UnclosedContainers` has moved it out.
    static let dropped: Set<String> = [
        "script", "style", "noscript", "iframe", "frame", "frameset", "object", "applet",
        "svg", "math", "template", "head", "title", "meta", "link", "base", "button",
        "select", "textarea", "option", "video", "audio", "canvas", "dialog",
    ]

    /// Void elements libxml2 2.9 does not know as void: it nests the rest of the page inside
    /// them. They are never content themselves, but what follows them is, so they are looked
    /// through rather than dropped.
    static let transparentVoids: Set<String> = ["embed", "input", "source", "track", "param", "wbr", "area", "keygen"]

    /// Site chrome: dropped from answers and article bodies, but still searched for related lists.
    static let chrome: Set<String> = ["nav", "header", "footer", "aside"]

    /// Elements that start a new block of text.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
        "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
        "caption", "hr", "figure", "figcaption", "details", "summary", "address", "center", "fieldset",
        "header", "footer", "nav", "aside", "body", "html", "br", "hgroup",
    ]

    static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]

    /// The heading level of `h1`…`h6`, else nil.
    static func headingLevel(_ name: String) -> Int? {
        guard headings.contains(name), let digit = name.last?.wholeNumberValue else { return nil }
        return digit
    }

    /// Cookie and consent banners, recognised by class or id. Large containers are spared so that
    /// a page whose body carries a class like "no-cookies" does not vanish.
    static func isConsentBanner(_ node: HTMLNode) -> Bool {
        guard !["html", "body", "main", "article"].contains(node.name) else { return false }
        return hasConsentMark(node.attribute("class")) || hasConsentMark(node.attribute("id"))
    }

    private static let consentMarks = ["cookie", "consent", "gdpr"].map { Array($0.utf8) }

    /// Whether a class or id names a consent banner, case-insensitively. This check runs for
    /// nearly every element several times per page, so ASCII values (all real ones) are searched
    /// byte by byte instead of through a lowercased copy and Foundation's `contains`.
    private static func hasConsentMark(_ value: String?) -> Bool {
        guard let value, !value.isEmpty else { return false }
        guard value.utf8.allSatisfy({ $0 < 0x80 }) else {
            let lower = value.lowercased()  // Unicode case mapping, for the rare non-ASCII value
            return lower.contains("cookie") || lower.contains("consent") || lower.contains("gdpr")
        }
        let bytes = value.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        return consentMarks.contains { mark in
            bytes.count >= mark.count && (0...(bytes.count - mark.count)).contains { start in
                bytes[start..<(start + mark.count)].elementsEqual(mark)
            }
        }
    }

    /// Content the page hides from readers.
    static func isHidden(_ node: HTMLNode) -> Bool {
        if node.attribute("hidden") != nil { return true }
        if node.attribute("aria-hidden")?.lowercased() == "true", node.name != "img" { return true }
        guard let style = node.attribute("style")?.lowercased().filter({ !$0.isWhitespace }) else { return false }
        return style.contains("display:none") || style.contains("visibility:hidden")
    }

    /// Whether an element and its subtree are never content, wherever they appear.
    static func isNeverContent(_ node: HTMLNode) -> Bool {
        guard node.isElement else { return false }
        return node.cached(.neverContent) {
            dropped.contains(node.name) || (node.hasAttributes && (isHidden(node) || isConsentBanner(node)))
        }
    }

    /// Whether an element is skipped when reading an answer or an article body.
    static func isSkippedInContent(_ node: HTMLNode) -> Bool {
        isNeverContent(node) || chrome.contains(node.name)
    }
}
