import PMCMS

/// Renders Markdown blocks to CommonMark/GFM text, escaping every character of page text that
/// Markdown would otherwise read as syntax, so the text renders as itself.
enum MarkdownRenderer {
    static func render(_ blocks: [MarkdownBlock]) -> String {
        var rendered: [String] = []
        // Two lists of one kind in a row would read back as one list; the second (fourth…)
        // takes the other marker (`*` for `-`, `)` for `.`), which starts a new list.
        var previousList: (ordered: Bool, alternate: Bool)?
        for block in blocks {
            var text: String?
            if case .list(let ordered, let start, let items) = block {
                let alternate = previousList.map { $0.ordered == ordered && !$0.alternate } ?? false
                text = renderList(ordered: ordered, start: start, items: items, alternate: alternate)
                if text?.isEmpty == false { previousList = (ordered, alternate) }
            } else {
                text = renderBlock(block)
                if text?.isEmpty == false { previousList = nil }
            }
            if let text, !text.isEmpty { rendered.append(text) }
        }
        return rendered.joined(separator: "\n\n")
    }

    private static func renderBlock(_ block: MarkdownBlock) -> String? {
        switch block {
        case .paragraph(let inlines):
            let lines = renderInlines(inlines).split(separator: "\n", omittingEmptySubsequences: false)
            return lines.map { escapeLineStart(String($0)) }.joined(separator: "\n")
        case .heading(let level, let inlines):
            let text = singleSpaced(renderInlines(inlines).replacingOccurrences(of: "\\\n", with: " ").replacingOccurrences(of: "\n", with: " "))
            guard !text.isEmpty else { return nil }
            // A heading's trailing `#`s would be read as its closing sequence and dropped.
            let closed = text.hasSuffix("#") ? String(text.dropLast()) + "\\#" : text
            return String(repeating: "#", count: min(max(level, 1), 6)) + " " + closed
        case .list(let ordered, let start, let items):
            return renderList(ordered: ordered, start: start, items: items)
        case .quote(let inner):
            let text = render(inner)
            guard !text.isEmpty else { return nil }
            return text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
        case .code(let text):
            let trimmed = trimBlankLines(text)
            guard !trimmed.isEmpty else { return nil }
            let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: trimmed) + 1))
            return fence + "\n" + trimmed + "\n" + fence
        case .table(let rows):
            return renderTable(rows)
        case .rule:
            return "---"
        }
    }

    private static func renderList(ordered: Bool, start: Int, items: [[MarkdownBlock]], alternate: Bool = false) -> String? {
        // A rule as an item's content is written `___`: `- ---` (or `* ***`) would read as a rule ending the list.
        let rendered = items.map { item in item.compactMap(renderBlock).filter { !$0.isEmpty }.map { $0 == "---" ? "___" : $0 } }
            .filter { !$0.isEmpty }
        guard !rendered.isEmpty else { return nil }
        // A list is tight when every item is one paragraph, optionally followed by a nested list.
        let tight = items.allSatisfy { item in
            item.filter { if case .paragraph = $0 { return true } else { return false } }.count <= 1
        }
        var lines: [String] = []
        for (offset, parts) in rendered.enumerated() {
            let marker = ordered ? "\(start + offset)\(alternate ? ")" : ".") " : (alternate ? "* " : "- ")
            let indent = String(repeating: " ", count: marker.count)
            let body = parts.joined(separator: tight ? "\n" : "\n\n")
            for (lineIndex, line) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if lineIndex == 0 {
                    lines.append(marker + line)
                } else {
                    lines.append(line.isEmpty ? "" : indent + line)
                }
            }
            if !tight && offset < rendered.count - 1 { lines.append("") }
        }
        return lines.joined(separator: "\n")
    }

    private static func renderTable(_ rows: [[[MarkdownInline]]]) -> String? {
        let cells = rows.map { row in
            row.map { cell in
                singleSpaced(renderInlines(cell).replacingOccurrences(of: "\\\n", with: " ").replacingOccurrences(of: "\n", with: " "))
                    .replacingOccurrences(of: "|", with: "\\|")
            }
        }.filter { row in row.contains { !$0.isEmpty } }
        let columns = cells.map(\.count).max() ?? 0
        guard columns > 0, let header = cells.first else { return nil }
        func line(_ row: [String]) -> String {
            let padded = row + Array(repeating: "", count: columns - row.count)
            return "| " + padded.joined(separator: " | ") + " |"
        }
        var lines = [line(header), "| " + Array(repeating: "---", count: columns).joined(separator: " | ") + " |"]
        lines += cells.dropFirst().map(line)
        return lines.joined(separator: "\n")
    }

    /// Runs of spaces made one, as re-importing the rendered HTML would make them (a break
    /// turned into a space beside another space gave two).
    private static func singleSpaced(_ text: String) -> String {
        var text = text
        while text.utf8.contains(0x20, followedBy: 0x20) { text = text.replacingOccurrences(of: "  ", with: " ") }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The same inline structure as cmark would read it back: emphasis of one kind directly
    /// inside the same kind is flattened (`****x****` is not strong text), and adjacent runs
    /// of one kind (and adjacent code spans) are merged (`**a****b**` is not two strong runs),
    /// so that rendered and
    /// re-imported text keeps its formatting instead of turning into literal asterisks.
    static func normalized(_ inlines: [MarkdownInline]) -> [MarkdownInline] {
        var result: [MarkdownInline] = []
        for inline in inlines {
            var current = inline
            switch inline {
            case .emphasis(let inner): current = .emphasis(normalized(flattened(inner, kind: 0)))
            case .strong(let inner): current = .strong(normalized(flattened(inner, kind: 1)))
            case .strikethrough(let inner): current = .strikethrough(normalized(flattened(inner, kind: 2)))
            case .link(let inner, let url): current = .link(normalized(inner), url: url)
            default: break
            }
            if let previous = result.last {
                switch (previous, current) {
                case (.emphasis(let a), .emphasis(let b)): result[result.count - 1] = .emphasis(a + b); continue
                case (.strong(let a), .strong(let b)): result[result.count - 1] = .strong(a + b); continue
                case (.strikethrough(let a), .strikethrough(let b)): result[result.count - 1] = .strikethrough(a + b); continue
                // `a``b` would read as one code span holding a backtick pair.
                case (.code(let a), .code(let b)): result[result.count - 1] = .code(a + b); continue
                default: break
                }
            }
            result.append(current)
        }
        return result
    }

    /// `inlines` with every directly nested emphasis of `kind` (0 emphasis, 1 strong, 2
    /// strikethrough) replaced by its content.
    private static func flattened(_ inlines: [MarkdownInline], kind: Int) -> [MarkdownInline] {
        inlines.flatMap { inline -> [MarkdownInline] in
            switch (inline, kind) {
            case (.emphasis(let inner), 0), (.strong(let inner), 1), (.strikethrough(let inner), 2): return flattened(inner, kind: kind)
            default: return [inline]
            }
        }
    }

    /// Renders inline content on one logical line (hard breaks become `\` + newline), with
    /// whitespace collapsed and trimmed around breaks.
    static func renderInlines(_ inlines: [MarkdownInline]) -> String {
        var out = ""
        appendInlines(normalized(inlines), to: &out)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var text = String(line)
            while text.utf8.contains(0x20, followedBy: 0x20) { text = text.replacingOccurrences(of: "  ", with: " ") }
            return text.trimmingCharacters(in: .whitespaces)
        }
        var kept = lines
        // A hard break at the very start or end of a paragraph shows nothing; drop it.
        while let first = kept.first, first.isEmpty || first == "\\" { kept.removeFirst() }
        while let last = kept.last, last.isEmpty || last == "\\" { kept.removeLast() }
        if var last = kept.popLast() {
            if last.hasSuffix("\\"), !last.hasSuffix("\\\\") { last.removeLast() }
            kept.append(last.trimmingCharacters(in: .whitespaces))
        }
        return kept.filter { !$0.isEmpty && $0 != "\\" }.joined(separator: "\n")
    }

    private static func appendInlines(_ inlines: [MarkdownInline], to out: inout String) {
        for inline in inlines {
            switch inline {
            case .text(let text):
                out += escapeText(text)
            case .lineBreak:
                out += "\\\n"
            case .emphasis(let inner):
                wrap(inner, with: "*", into: &out)
            case .strong(let inner):
                wrap(inner, with: "**", into: &out)
            case .strikethrough(let inner):
                wrap(inner, with: "~~", into: &out)
            case .code(let text):
                let content = Whitespace.collapse(text)
                guard !content.isEmpty else { continue }
                let fence = String(repeating: "`", count: longestRun(of: "`", in: content) + 1)
                let pad = content.hasPrefix("`") || content.hasSuffix("`") ? " " : ""
                out += fence + pad + content + pad + fence
            case .link(let inner, let url):
                var label = ""
                appendInlines(inner, to: &label)
                label = Whitespace.collapse(label.replacingOccurrences(of: "\\\n", with: " "))
                guard !label.isEmpty else { continue }
                let leading = startsWithSpace(inner) ? " " : ""
                let trailing = endsWithSpace(inner) ? " " : ""
                out += leading + "[" + label + "](" + escapeURL(url) + ")" + trailing
            case .image(let alt, let url):
                out += "![" + escapeText(Whitespace.collapse(alt)) + "](" + escapeURL(url) + ")"
            }
        }
    }

    /// Wraps emphasis delimiters tightly around the content, moving surrounding spaces outside,
    /// since `* text *` is not emphasis in CommonMark.
    private static func wrap(_ inner: [MarkdownInline], with delimiter: String, into out: inout String) {
        var content = ""
        appendInlines(inner, to: &content)
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            if !content.isEmpty { out += " " }
            return
        }
        if trimmed.hasSuffix("\\") && !trimmed.hasSuffix("\\\\") {
            out += content  // a trailing hard break cannot sit inside delimiters
            return
        }
        out += (startsWithSpace(inner) ? " " : "") + delimiter + trimmed + delimiter + (endsWithSpace(inner) ? " " : "")
    }

    private static func startsWithSpace(_ inlines: [MarkdownInline]) -> Bool {
        guard let first = inlines.first else { return false }
        switch first {
        case .text(let text): return text.first?.isWhitespace ?? false
        case .emphasis(let inner), .strong(let inner), .strikethrough(let inner), .link(let inner, _): return startsWithSpace(inner)
        default: return false
        }
    }

    private static func endsWithSpace(_ inlines: [MarkdownInline]) -> Bool {
        guard let last = inlines.last else { return false }
        switch last {
        case .text(let text): return text.last?.isWhitespace ?? false
        case .emphasis(let inner), .strong(let inner), .strikethrough(let inner), .link(let inner, _): return endsWithSpace(inner)
        default: return false
        }
    }

    /// Backslash-escapes Markdown punctuation in page text. `&` is escaped only where it would
    /// start an entity reference, so "AT&T" stays readable.
    static func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", "~":
                out.append("\\")
                out.append(character)
            case ":" where index + 2 < characters.count && characters[index + 1] == "/" && characters[index + 2] == "/":
                // "http://…" in page text would become a link (GFM autolinks) on rendering, and
                // swallow the escapes after it; an escaped colon keeps it text.
                out.append("\\:")
            case "." where index >= 3 && String(characters[(index - 3)..<index]).lowercased() == "www":
                out.append("\\.")  // likewise "www.example.org"
            case "&":
                var lookahead = index + 1
                while lookahead < characters.count, lookahead - index < 33,
                      characters[lookahead].isASCII, characters[lookahead].isLetter || characters[lookahead].isNumber || characters[lookahead] == "#" {
                    lookahead += 1
                }
                if lookahead < characters.count, lookahead > index + 1, characters[lookahead] == ";" { out.append("\\") }
                out.append(character)
            default:
                out.append(character)
            }
        }
        return out
    }

    /// Escapes what would make a paragraph line start a heading, quote, list or thematic break.
    static func escapeLineStart(_ line: String) -> String {
        guard let first = line.first else { return line }
        switch first {
        case "#", ">", "=", "|":
            return "\\" + line
        case "-", "+":
            let second = line.dropFirst().first
            if second == nil || second == " " || second == first { return "\\" + line }
            return line
        default:
            let digits = line.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count <= 9 {
                let after = line.dropFirst(digits.count)
                if let marker = after.first, marker == "." || marker == ")",
                   after.dropFirst().first == nil || after.dropFirst().first == " " {
                    return String(digits) + "\\" + after
                }
            }
            return line
        }
    }

    /// Makes a URL safe inside `( )` of a Markdown link: spaces and parentheses percent-encoded.
    static func escapeURL(_ url: String) -> String {
        url.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "(", with: "%28")
            .replacingOccurrences(of: ")", with: "%29").replacingOccurrences(of: "<", with: "%3C")
            .replacingOccurrences(of: ">", with: "%3E")
    }

    private static func longestRun(of character: Character, in text: String) -> Int {
        var longest = 0
        var current = 0
        for c in text {
            current = c == character ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    private static func trimBlankLines(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.map { line in
            var text = String(line)
            while text.last?.isWhitespace == true { text.removeLast() }
            return text
        }.joined(separator: "\n")
    }
}
