import Foundation

/// Removes markup that survived as text (pages that escaped their HTML twice), so that
/// `<script>` can never come out of the extractor even as words.
enum TextSanitizer {
    static func stripTagLikeText(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "<")) else { return text }
        var text = text
        // Escaped scripts and styles lose their content too, not just their tags.
        if let pattern = RegexCache.shared.regex(#"<\s*(script|style)\b.*?(<\s*/\s*\1\s*>|$)"#, options: [.caseInsensitive, .dotMatchesLineSeparators]) {
            text = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: " ")
        }
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "<" {
                let next = text.index(after: index)
                if next < text.endIndex, text[next].isLetter || text[next] == "/" || text[next] == "!" || text[next] == "?",
                   let close = text[next...].firstIndex(where: { $0 == ">" || $0 == "<" }), text[close] == ">" {
                    index = text.index(after: close)
                    out.append(" ")
                    continue
                }
            }
            out.append(character)
            index = text.index(after: index)
        }
        return out
    }

    /// A plain-text field (title, summary, link text): tag-like text removed, whitespace collapsed.
    static func plain(_ text: String) -> String {
        Whitespace.collapse(stripTagLikeText(text))
    }
}
