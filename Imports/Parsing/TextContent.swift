/// Plain text of a subtree, read without recursion, with whitespace collapsed and dropped
/// elements (scripts, styles, banners…) left out.
enum TextContent {
    static func of(_ node: HTMLNode, skip: (HTMLNode) -> Bool = ElementPolicy.isNeverContent) -> String {
        if node.isText { return Whitespace.collapse(node.textContent) }
        var raw = ""
        node.walkDescendants { child in
            if child.isText {
                raw += child.textContent
                return false
            }
            guard child.isElement, !skip(child) else { return false }
            // Block boundaries separate words even when the markup has no whitespace between them.
            if ElementPolicy.blocks.contains(child.name) || child.name == "img" { raw += " " }
            return true
        }
        return Whitespace.collapse(raw)
    }
}

/// Whitespace normalisation shared by every text the extractor returns.
enum Whitespace {
    /// Collapses runs of whitespace (including no-break spaces) into one space, drops invisible
    /// characters, and trims the ends.
    static func collapse(_ text: String) -> String {
        if isCollapsedASCII(text) { return text }
        // Into a byte buffer: appending scalar by scalar to a String was the largest cost of
        // reading a page's text.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isSpace(scalar) {
                pendingSpace = true
            } else if !isInvisible(scalar) {
                if pendingSpace && !out.isEmpty { out.append(0x20) }
                pendingSpace = false
                if scalar.isASCII { out.append(UInt8(scalar.value)) } else { out.append(contentsOf: scalar.utf8) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Printable ASCII with single spaces between words and none at the ends: what `collapse`
    /// returns unchanged. Texts are often collapsed twice (node text, then plain text).
    private static func isCollapsedASCII(_ text: String) -> Bool {
        var previous: UInt8 = 0x20
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F, !(byte == 0x20 && previous == 0x20) else { return false }
            previous = byte
        }
        return previous != 0x20 || text.isEmpty
    }

    /// Like `collapse`, but keeps a single leading and trailing space when the text had one, for
    /// joining inline runs.
    static func collapseKeepingEdges(_ text: String) -> String {
        let core = collapse(text)
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return "" }
        if core.isEmpty { return isSpace(first) ? " " : "" }
        return (isSpace(first) ? " " : "") + core + (isSpace(last) ? " " : "")
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x08, 0x0E...0x1F, 0x7F, 0xAD, 0x200B, 0x2060, 0xFEFF:
            return true
        default:
            return false
        }
    }
}

extension TextContent {
    /// The text of a subtree with its whitespace as written, for `<pre>` and `<code>`.
    static func rawText(of node: HTMLNode, skip: (HTMLNode) -> Bool) -> String {
        var raw = ""
        node.walkDescendants { child in
            if child.isText {
                raw += child.textContent
                return false
            }
            guard child.isElement, !skip(child) else { return false }
            if child.name == "br" { raw += "\n" }
            return true
        }
        return TextSanitizer.stripTagLikeText(raw)
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, skipping Foundation when both ends are
    /// ASCII and not whitespace, as they nearly always are: the bridged call was a hot spot of
    /// imports (every link title and URL is trimmed). In ASCII that set is U+0009–U+000D and U+0020.
    var trimmedOfWhitespaceAndNewlines: String {
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80,
           !(0x09...0x0D).contains(first), first != 0x20, !(0x09...0x0D).contains(last), last != 0x20 {
            return self
        }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `trimmingCharacters(in: .whitespaces)` with the same shortcut; in ASCII that set is
    /// U+0009 and U+0020.
    var trimmedOfWhitespace: String {
        if let first = utf8.first, let last = utf8.last, first < 0x80, last < 0x80,
           first != 0x09, first != 0x20, last != 0x09, last != 0x20 {
            return self
        }
        return trimmingCharacters(in: .whitespaces)
    }
}
