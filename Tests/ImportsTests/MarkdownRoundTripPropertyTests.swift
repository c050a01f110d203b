import Foundation
import Imports
import PMCMS
import Testing
import TestSupport

/// Property: the Markdown the importer makes is a fixed point of rendering and re-importing.
/// For random HTML, `m = HTMLMarkdown.convert(html)` is what an import stores; cmark renders `m`
/// to the HTML exports carry, and converting that HTML again gives `m` back unchanged. So a
/// page exported and imported again does not drift, and every escape the converter writes
/// means to cmark what the converter meant.
@Suite("Markdown → HTML → Markdown is stable for imported content")
struct MarkdownRoundTripPropertyTests {

    /// Words and the characters Markdown gives meaning to, in every position a page may put them.
    ///
    /// Left out, as known gaps of the normal form (the text survives, its formatting may not):
    /// backticks and tildes in page text beside code spans and strikethrough, where the
    /// converter's fence or delimiter can merge with the text's own run on the second pass;
    /// and emphasis that does not start and end at a word (`x<em>)y</em>`), which CommonMark's
    /// flanking rules cannot express, so it comes back as literal asterisks. Emphasis here
    /// therefore begins and ends with a word and stands apart from its neighbours. A `<` is
    /// followed by a space: `<word … >` in text reads as leftover markup and is removed.
    /// No strikethrough: Debian's cmark-gfm (0.29) was seen to stop recognising `~~` part way
    /// through some documents (every later strikethrough in the document then renders as
    /// literal tildes), while the same paragraph alone renders fine; not yet understood.
    static let words = [
        "plan", "risk", "café", "😀", "*", "**", "_", "__", "[", "]", "(", ")", "#", "##", "< ", ">", "&", "&amp;",
        "\\", "!", "|", "+", "-", "--", "1.", "2)", "=", "'", "\"", ":", "http://example.org", "www.example.org", "a_b_c", "x*y*z",
    ]

    static func text(_ random: inout SeededGenerator) -> String {
        (0..<Int.random(in: 1...6, using: &random)).map { _ in words.randomElement(using: &random) ?? "" }
            .joined(separator: Bool.random(using: &random) ? " " : "")
            .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }

    static func inline(_ random: inout SeededGenerator, depth: Int = 0) -> String {
        var parts: [String] = []
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let choice = depth > 1 ? 0 : Int.random(in: 0...9, using: &random)
            switch choice {
            case 1: parts.append("<em>plan \(inline(&random, depth: depth + 1)) risk</em>")
            case 2: parts.append("<strong>plan \(inline(&random, depth: depth + 1)) risk</strong>")
            case 3: parts.append("<code>\(text(&random))</code>")
            case 4: parts.append("<a href=\"https://www.example.org/faq/p\(Int.random(in: 0...9, using: &random))\">\(inline(&random, depth: depth + 1))</a>")
            case 5: parts.append("<img src=\"/images/i\(Int.random(in: 0...9, using: &random)).png\" alt=\"\(text(&random).replacingOccurrences(of: "\"", with: "&quot;"))\">")
            case 7 where depth == 0: parts.append("<br>")
            default: parts.append(text(&random))
            }
        }
        return parts.joined(separator: " ")
    }

    static func block(_ random: inout SeededGenerator, depth: Int = 0) -> String {
        switch depth > 1 ? 0 : Int.random(in: 0...9, using: &random) {
        case 1: let level = Int.random(in: 1...6, using: &random); return "<h\(level)>\(inline(&random))</h\(level)>"
        case 2, 3:
            let tag = Bool.random(using: &random) ? "ul" : "ol"
            let items = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                Int.random(in: 0...3, using: &random) == 0 ? "<li>\(block(&random, depth: depth + 1))</li>" : "<li>\(inline(&random))</li>"
            }
            return "<\(tag)>\(items.joined())</\(tag)>"
        case 4: return "<blockquote>\(block(&random, depth: depth + 1))</blockquote>"
        case 5: return "<pre>\(text(&random))\n\(text(&random))</pre>"
        case 6: return "<hr>"
        case 7:
            let columns = Int.random(in: 2...3, using: &random)
            let header = "<tr>" + (0..<columns).map { _ in "<th>\(text(&random))</th>" }.joined() + "</tr>"
            let rows = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                "<tr>" + (0..<columns).map { _ in "<td>\(inline(&random, depth: 1))</td>" }.joined() + "</tr>"
            }
            return "<table>\(header)\(rows.joined())</table>"
        default: return "<p>\(inline(&random))</p>"
        }
    }

    static func page(_ random: inout SeededGenerator) -> String {
        "<html><body>" + (0..<Int.random(in: 1...5, using: &random)).map { _ in block(&random) }.joined(separator: "\n") + "</body></html>"
    }

    @Test("import(render(m)) == m for imported m", arguments: 0..<10)
    func fixedPoint(run: Int) {
        let seed = UInt64(0xAB00 + run)
        var random = SeededGenerator(seed: seed)
        var failures = 0
        for sample in 0..<60 {
            let html = Self.page(&random)
            let imported = HTMLMarkdown.convert(html, pageURL: "https://www.example.org/faq/page")
            let again = HTMLMarkdown.convert(Markdown.html(imported), pageURL: "https://www.example.org/faq/page")
            if again != imported && failures < 3 {
                failures += 1
                Issue.record("seed \(seed), sample \(sample):\nHTML: \(html)\nimported: \(imported.debugDescription)\nagain:    \(again.debugDescription)")
            }
        }
    }
}
