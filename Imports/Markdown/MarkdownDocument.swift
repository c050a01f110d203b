/// A block of Markdown, built from HTML and rendered by `MarkdownRenderer`; text is kept raw here
/// and escaped only when rendered, so that no HTML can leak through as Markdown syntax.
indirect enum MarkdownBlock: Equatable, Sendable {
    case paragraph([MarkdownInline])
    case heading(level: Int, [MarkdownInline])
    case list(ordered: Bool, start: Int, items: [[MarkdownBlock]])
    case quote([MarkdownBlock])
    case code(String)
    case table(rows: [[[MarkdownInline]]])
    case rule
}

/// Inline Markdown content.
indirect enum MarkdownInline: Equatable, Sendable {
    case text(String)
    case emphasis([MarkdownInline])
    case strong([MarkdownInline])
    case strikethrough([MarkdownInline])
    case code(String)
    case link([MarkdownInline], url: String)
    case image(alt: String, url: String)
    case lineBreak

    /// Whether the content shows anything but whitespace.
    static func isBlank(_ inlines: [MarkdownInline]) -> Bool {
        inlines.allSatisfy { inline in
            switch inline {
            case .text(let text): return text.allSatisfy(\.isWhitespace)
            case .lineBreak: return true
            case .emphasis(let inner), .strong(let inner), .strikethrough(let inner), .link(let inner, _): return isBlank(inner)
            case .code(let text): return text.isEmpty
            case .image: return false
            }
        }
    }

    /// The plain text the inlines show (image alt texts included).
    static func plainText(_ inlines: [MarkdownInline]) -> String {
        var out = ""
        for inline in inlines {
            switch inline {
            case .text(let text), .code(let text): out += text
            case .lineBreak: out += " "
            case .emphasis(let inner), .strong(let inner), .strikethrough(let inner), .link(let inner, _): out += plainText(inner)
            case .image(let alt, _): out += alt
            }
        }
        return out
    }
}
