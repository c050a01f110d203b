import Foundation

/// Tells an HTML page from other text by how it starts, as browsers sniff content without a
/// type (the HTML standard's MIME sniffing): after whitespace, comments and an XML declaration,
/// an HTML page starts with a doctype or an HTML element's tag. The file name is not trusted:
/// `README.md` or a feed saved as `.html` is refused, a page saved without an extension is read.
enum HTMLSniffer {
    /// Elements an HTML page or fragment starts with (the standard's list, plus the rest of the
    /// elements that can open a document or a saved fragment).
    static let startElements: Set<String> = [
        "html", "head", "body", "script", "iframe", "h1", "h2", "h3", "h4", "h5", "h6", "div", "font",
        "table", "a", "style", "title", "b", "br", "p", "meta", "link", "base", "noscript", "span", "i",
        "em", "strong", "img", "ul", "ol", "li", "dl", "section", "article", "main", "header", "footer",
        "nav", "aside", "form", "center", "blockquote", "pre", "hr", "figure", "details", "template",
        "address", "hgroup", "tr", "td", "th", "tbody", "thead", "caption", "small", "big", "u", "code",
    ]

    /// How much of the file is looked at; comments before the first tag may be long.
    static let scanLimit = 8192

    /// nil when `content` starts like HTML; else its first line, shortened, to name in the error.
    static func notHTML(_ content: [UInt8], encoding: String) -> String? {
        // UTF-16 text in the ASCII range is ASCII with a zero byte beside every character.
        var head = Array(content.prefix(scanLimit))
        if encoding.hasPrefix("UTF-16") { head.removeAll { $0 == 0 } }
        let text = String(decoding: head, as: UTF8.self)
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace }
            let lower = rest.prefix(16).lowercased()
            if lower.hasPrefix("<!--") {
                guard let end = rest.range(of: "-->") else { return nil }  // a long comment: let the parser judge
                rest = rest[end.upperBound...]
            } else if lower.hasPrefix("<?") {
                guard let end = rest.firstIndex(of: ">") else { return firstLine(text) }
                rest = rest[rest.index(after: end)...]
            } else if lower.hasPrefix("<!doctype") {
                let declaration = rest.prefix { $0 != ">" }.lowercased()
                return declaration.contains("html") ? nil : firstLine(text)
            } else if lower.hasPrefix("<") {
                let name = rest.dropFirst().prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }.lowercased()
                return startElements.contains(name) ? nil : firstLine(text)
            } else {
                // Only comments so far: a page cut off by the scan limit is left to the parser.
                if rest.isEmpty { return content.count > scanLimit ? nil : firstLine(text) }
                return firstLine(text)
            }
        }
    }

    /// The first non-blank line, printable characters only, at most 40 of them.
    private static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        let printable = line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }
        let shown = String(String.UnicodeScalarView(printable)).trimmingCharacters(in: .whitespaces)
        return shown.count > 40 ? String(shown.prefix(40)) + "…" : shown
    }
}
