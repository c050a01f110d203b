import CCmarkGFM
import Foundation

/// The store's rule for Markdown bodies: what is stored is safe for any CommonMark renderer,
/// even one that passes raw HTML through and filters no link (markdown-it with `html: true`
/// and its link validator off, cmark with `--unsafe`).
///
/// So, on every save (import, `new`, `edit`, the editor, revert):
/// - raw HTML is escaped: a `<` that would open a tag, comment, declaration or processing
///   instruction becomes `&lt;` and reads as text (`<b>` shows as "<b>");
/// - a link or image whose destination uses a scheme other than http, https, mailto or tel
///   keeps its text and loses its destination (`[here](<>)`), and an autolink to such a
///   scheme is escaped. Destinations are read as a browser would read them: HTML entities
///   decoded (`javascript&#58;`, `&#106;avascript:`, `&colon;`, with or without the `;`),
///   backslash escapes dropped, and tabs, newlines and spaces removed;
/// - code spans and fenced code blocks are left alone, since no renderer reads markup there.
///
/// The result is then parsed with cmark-gfm: if any raw HTML or unsafe link is left (an input
/// the quick scan reads differently from CommonMark), every `<` and `[` in the body is escaped,
/// which leaves no markup and no link at all. Bodies without `<` or `]` are returned as they are.
public enum SafeMarkdown {
    /// Schemes a link may use; anything else could run in a browser or reach the file system.
    static let allowedSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    /// `markdown` with raw HTML escaped and unsafe link destinations removed.
    public static func sanitize(_ markdown: String) -> String {
        // Most bodies hold neither: answer them without copying a byte.
        guard markdown.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "]") }) else { return markdown }
        let bytes = Array(markdown.utf8)
        var scanner = Scanner(bytes: bytes, strict: false)
        let scanned = scanner.run()
        let text = scanned == bytes ? markdown : String(decoding: scanned, as: UTF8.self)
        if isSafe(text) { return text }
        var strict = Scanner(bytes: bytes, strict: true)
        return String(decoding: strict.run(), as: UTF8.self)
    }

    /// Whether `url`, read as a browser reads an `href`, is relative or uses an allowed scheme.
    public static func isSafeURL(_ url: String) -> Bool {
        isSafeDestination(Array(url.utf8)[...])
    }

    /// Whether cmark-gfm finds no raw HTML and no link or image to an unsafe destination.
    public static func isSafe(_ markdown: String) -> Bool {
        guard let parser = Markdown.parser() else { return false }
        defer { cmark_parser_free(parser) }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return false }
        defer { cmark_node_free(document) }
        guard let iterator = cmark_iter_new(document) else { return false }
        defer { cmark_iter_free(iterator) }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                return false
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if !isSafeURL(url) { return false }
            default:
                continue
            }
        }
        return true
    }

    // MARK: Reading a destination as a browser would

    static func isSafeDestination(_ raw: ArraySlice<UInt8>) -> Bool {
        let url = browserView(raw)
        guard let end = url.firstIndex(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }),
              url[end] == UInt8(ascii: ":"), end > 0 else {
            return true  // no scheme: a path, a query or a fragment
        }
        let scheme = String(decoding: url[..<end], as: UTF8.self).lowercased()
        return allowedSchemes.contains(scheme)
    }

    /// The bytes of a destination after entity decoding, backslash escapes and whitespace
    /// removal: what a browser would take the scheme from, whichever renderer produced the href.
    static func browserView(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "\\"), index + 1 < raw.endIndex, isASCIIPunctuation(raw[index + 1]) {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "&"), let (decoded, next) = decodeEntity(raw, at: index) {
                out.append(contentsOf: decoded)
                index = next
                continue
            }
            if byte > 0x20 && byte != 0x7F { out.append(byte) }
            index += 1
        }
        // An entity may have produced another entity's text (`&amp;#58;`): decode again, a few times.
        if out != Array(raw), out.contains(UInt8(ascii: "&")), out.count < raw.count { return browserView(out[...]) }
        return out
    }

    /// Names that spell a character a scheme could hide behind.
    private static let namedEntities: [String: UInt8] = [
        "colon": UInt8(ascii: ":"), "tab": 0x09, "newline": 0x0A, "sol": UInt8(ascii: "/"),
        "num": UInt8(ascii: "#"), "quest": UInt8(ascii: "?"), "amp": UInt8(ascii: "&"),
    ]

    /// Decodes the numeric or named reference at `start` (`&#58;`, `&#x3A`, `&colon;`), with or
    /// without its `;` as browsers accept; nil when there is none.
    private static func decodeEntity(_ raw: ArraySlice<UInt8>, at start: Int) -> ([UInt8], Int)? {
        var index = start + 1
        if index < raw.endIndex, raw[index] == UInt8(ascii: "#") {
            index += 1
            var hex = false
            if index < raw.endIndex, raw[index] | 0x20 == UInt8(ascii: "x") {
                hex = true
                index += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while index < raw.endIndex, let digit = digitValue(raw[index], hex: hex) {
                value = min(value &* (hex ? 16 : 10) &+ digit, 0x110000)
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if index < raw.endIndex, raw[index] == UInt8(ascii: ";") { index += 1 }
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            return (Array(String(Character(scalar)).utf8), index)
        }
        var name: [UInt8] = []
        while index < raw.endIndex, name.count < 32, isASCIILetter(raw[index]) {
            name.append(raw[index] | 0x20)
            index += 1
        }
        guard let decoded = namedEntities[String(decoding: name, as: UTF8.self)] else { return nil }
        if index < raw.endIndex, raw[index] == UInt8(ascii: ";") { index += 1 }
        return ([decoded], index)
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }

    // MARK: The scan

    /// One pass over a body, line by line. In strict mode nothing is read as code, and every
    /// `<` and `[` is escaped.
    private struct Scanner {
        let bytes: [UInt8]
        let strict: Bool
        var out: [UInt8] = []

        init(bytes: [UInt8], strict: Bool) {
            self.bytes = bytes
            self.strict = strict
            out.reserveCapacity(bytes.count + 16)
        }

        mutating func run() -> [UInt8] {
            var fence: (byte: UInt8, count: Int)?
            var lineStart = 0
            while lineStart < bytes.count {
                let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
                let line = bytes[lineStart..<lineEnd]
                lineStart = lineEnd
                if !strict, let open = fence {
                    if let close = Self.fenceRun(line), close.byte == open.byte, close.count >= open.count,
                       line[(line.startIndex + close.indent + close.count)...].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                        fence = nil
                    }
                    out.append(contentsOf: line)
                    continue
                }
                if !strict, let open = Self.fenceRun(line),
                   open.byte == UInt8(ascii: "~") || !line[(line.startIndex + open.indent + open.count)...].contains(UInt8(ascii: "`")) {
                    fence = (open.byte, open.count)
                    out.append(contentsOf: line)
                    continue
                }
                scanLine(line)
            }
            return out
        }

        /// A run of three or more backticks or tildes after at most three spaces.
        static func fenceRun(_ line: ArraySlice<UInt8>) -> (byte: UInt8, count: Int, indent: Int)? {
            let indent = line.prefix(while: { $0 == 0x20 }).count
            guard indent <= 3 else { return nil }
            let start = line.startIndex + indent
            guard start < line.endIndex, line[start] == UInt8(ascii: "`") || line[start] == UInt8(ascii: "~") else { return nil }
            let count = line[start...].prefix(while: { $0 == line[start] }).count
            return count >= 3 ? (line[start], count, indent) : nil
        }

        mutating func scanLine(_ line: ArraySlice<UInt8>) {
            var index = line.startIndex
            // A link reference definition: `[label]: destination`.
            if let destinationStart = Self.definitionDestination(line) {
                for byte in line[index..<destinationStart] { emitText(byte) }
                index = copyDestination(line, from: destinationStart)
            }
            while index < line.endIndex {
                let byte = line[index]
                switch byte {
                case UInt8(ascii: "\\") where index + 1 < line.endIndex && isASCIIPunctuation(line[index + 1]):
                    if strict && (line[index + 1] == UInt8(ascii: "<") || line[index + 1] == UInt8(ascii: "[")) {
                        index += 1  // the entity written next needs no backslash
                        continue
                    }
                    out.append(contentsOf: line[index...(index + 1)])
                    index += 2
                case UInt8(ascii: "`") where !strict:
                    let run = line[index...].prefix(while: { $0 == byte }).count
                    var search = index + run
                    var closed: Int?
                    while search < line.endIndex {
                        guard line[search] == byte else {
                            search += 1
                            continue
                        }
                        let other = line[search...].prefix(while: { $0 == byte }).count
                        if other == run {
                            closed = search + other
                            break
                        }
                        search += other
                    }
                    let end = closed ?? index + run
                    out.append(contentsOf: line[index..<end])
                    index = end
                case UInt8(ascii: "<"):
                    if !strict, let end = Self.safeAutolinkEnd(line, at: index) {
                        out.append(contentsOf: line[index..<end])
                        index = end
                    } else {
                        let next = index + 1 < line.endIndex ? line[index + 1] : 0
                        if strict || isASCIILetter(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
                            out.append(contentsOf: Array("&lt;".utf8))
                        } else {
                            out.append(byte)
                        }
                        index += 1
                    }
                case UInt8(ascii: "]") where index + 1 < line.endIndex && line[index + 1] == UInt8(ascii: "("):
                    out.append(contentsOf: line[index...(index + 1)])
                    var start = index + 2
                    while start < line.endIndex, line[start] == 0x20 || line[start] == 0x09 {
                        out.append(line[start])
                        start += 1
                    }
                    index = copyDestination(line, from: start)
                default:
                    emitText(byte)
                    index += 1
                }
            }
        }

        mutating func emitText(_ byte: UInt8) {
            if strict && byte == UInt8(ascii: "[") {
                out.append(contentsOf: Array("&#91;".utf8))
            } else if strict && byte == UInt8(ascii: "<") {
                out.append(contentsOf: Array("&lt;".utf8))
            } else {
                out.append(byte)
            }
        }

        /// Copies the link destination at `start` when it is safe, or writes an empty one
        /// (`<>`) in its place; returns where the destination ended.
        mutating func copyDestination(_ line: ArraySlice<UInt8>, from start: Int) -> Int {
            let end = Self.destinationEnd(line, from: start)
            let pointed = line[start..<end]
            let inner = pointed.first == UInt8(ascii: "<") && pointed.last == UInt8(ascii: ">") && pointed.count >= 2
                ? pointed.dropFirst().dropLast() : pointed
            if isSafeDestination(inner) {
                if pointed.first == UInt8(ascii: "<") && !strict {
                    out.append(contentsOf: pointed)
                } else {
                    for byte in pointed { emitText(byte) }
                }
            } else {
                out.append(contentsOf: Array("<>".utf8))
            }
            return end
        }

        /// Where a destination starting at `start` ends: `<…>`, or non-space text with
        /// balanced parentheses (CommonMark's two forms).
        static func destinationEnd(_ line: ArraySlice<UInt8>, from start: Int) -> Int {
            var index = start
            if index < line.endIndex, line[index] == UInt8(ascii: "<") {
                index += 1
                while index < line.endIndex, line[index] != UInt8(ascii: ">"), line[index] != 0x0A {
                    if line[index] == UInt8(ascii: "\\") && index + 1 < line.endIndex { index += 1 }
                    index += 1
                }
                return index < line.endIndex && line[index] == UInt8(ascii: ">") ? index + 1 : index
            }
            var depth = 0
            while index < line.endIndex {
                let byte = line[index]
                if byte <= 0x20 { break }
                if byte == UInt8(ascii: "\\") && index + 1 < line.endIndex && isASCIIPunctuation(line[index + 1]) {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "(") { depth += 1 }
                if byte == UInt8(ascii: ")") {
                    if depth == 0 { break }
                    depth -= 1
                }
                index += 1
            }
            return index
        }

        /// For `   [label]: destination`, where the destination starts.
        static func definitionDestination(_ line: ArraySlice<UInt8>) -> Int? {
            var index = line.startIndex + line.prefix(while: { $0 == 0x20 }).count
            guard index - line.startIndex <= 3, index < line.endIndex, line[index] == UInt8(ascii: "[") else { return nil }
            index += 1
            while index < line.endIndex, line[index] != UInt8(ascii: "]") {
                if line[index] == UInt8(ascii: "[") { return nil }
                if line[index] == UInt8(ascii: "\\") { index += 1 }
                index += 1
            }
            guard index + 1 < line.endIndex, line[index + 1] == UInt8(ascii: ":") else { return nil }
            index += 2
            while index < line.endIndex, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
            return index
        }

        /// The end of an autolink at `start` (`<https://…>`, `<name@example.org>`) when its
        /// destination is safe; nil otherwise.
        static func safeAutolinkEnd(_ line: ArraySlice<UInt8>, at start: Int) -> Int? {
            guard let close = line[(start + 1)...].firstIndex(where: { $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "<") || $0 <= 0x20 }),
                  line[close] == UInt8(ascii: ">"), close > start + 1 else { return nil }
            let inner = line[(start + 1)..<close]
            if let colon = inner.firstIndex(of: UInt8(ascii: ":")) {
                let scheme = inner[..<colon]
                guard (2...32).contains(scheme.count), let first = scheme.first, isASCIILetter(first),
                      scheme.allSatisfy({ isASCIILetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
                else { return nil }
                return isSafeDestination(inner) ? close + 1 : nil
            }
            // An email autolink holds no scheme; CommonMark makes it `mailto:`.
            guard let at = inner.firstIndex(of: UInt8(ascii: "@")), at > inner.startIndex, at + 1 < inner.endIndex,
                  inner.allSatisfy({ isASCIILetter($0) || ($0 >= 0x30 && $0 <= 0x39) || Array(".!#$%&'*+/=?^_`{|}~-@".utf8).contains($0) })
            else { return nil }
            return close + 1
        }
    }
}
