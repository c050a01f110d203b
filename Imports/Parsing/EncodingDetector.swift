import CLibXML2
import Foundation

/// Decides a page's character encoding the way browsers do for files without HTTP headers:
/// byte order mark, then a `<meta>` declaration near the top, then UTF-8 when the bytes are valid
/// UTF-8, else Windows-1252 (what "Latin-1" pages really are).
enum EncodingDetector {
    /// How many leading bytes are searched for a `<meta charset>`; the HTML standard says 1024,
    /// scraped pages often put long comments first.
    static let metaScanLimit = 4096

    /// The encoding name for libxml2 and how many BOM bytes to skip. `transportCharset` is the
    /// charset of the HTTP `Content-Type` the page was served with, when known: the HTML
    /// standard ranks it after a BOM and ahead of anything the page declares itself.
    static func detect(_ bytes: [UInt8], transportCharset: String? = nil) -> (name: String, bomLength: Int) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", 2) }
        if let label = transportCharset?.trimmingCharacters(in: .whitespaces).lowercased(),
           let transport = canonicalName(label), Self.isKnownToLibxml(transport) {
            return (transport, 0)
        }
        if let declared = declaredEncoding(bytes.prefix(metaScanLimit)) { return (declared, 0) }
        return (isValidUTF8(bytes) ? "UTF-8" : "windows-1252", 0)
    }

    /// Whether libxml2 (through iconv) can decode `name`: a header's charset is the server's
    /// claim, and an unknown label is ignored as a browser ignores it, not a lost page.
    static func isKnownToLibxml(_ name: String) -> Bool {
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }

    /// Whether the bytes decode as UTF-8 without a single replacement.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// The charset named by `<meta charset=…>` or `<meta http-equiv content="…; charset=…">`
    /// (or an XML declaration), mapped to the name libxml2 should use.
    static func declaredEncoding(_ head: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: head.map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        var searchStart = text.startIndex
        while let range = text.range(of: "charset", range: searchStart..<text.endIndex) {
            searchStart = range.upperBound
            // Only count "charset" inside a <meta …> or <?xml …?> tag, not in body text or scripts.
            guard let open = text[..<range.lowerBound].lastIndex(of: "<") else { continue }
            let tagStart = text[open...]
            guard tagStart.hasPrefix("<meta") || tagStart.hasPrefix("<?xml"),
                  !text[open..<range.lowerBound].contains(">") else { continue }
            var rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" || $0 == "\n" }
            let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." })
            if let mapped = canonicalName(name) { return mapped }
        }
        if let range = text.range(of: "<?xml"), let close = text[range.upperBound...].range(of: "?>") {
            let declaration = text[range.upperBound..<close.lowerBound]
            if let encodingRange = declaration.range(of: "encoding") {
                let rest = declaration[encodingRange.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
                let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
                if let mapped = canonicalName(name) { return mapped }
            }
        }
        return nil
    }

    /// Maps a declared charset label to the encoding actually meant, following the WHATWG
    /// Encoding Standard where it differs from the label (Latin-1 and ASCII mean Windows-1252;
    /// a page that declares UTF-16 in ASCII-compatible bytes cannot be UTF-16).
    static func canonicalName(_ label: String) -> String? {
        switch label {
        case "": return nil
        case "utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be", "unicode": return "UTF-8"
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "ansi_x3.4-1968",
             "windows-1252", "cp1252", "x-cp1252", "cp819", "iso_8859-1", "ibm819":
            return "windows-1252"
        default: return label.uppercased()
        }
    }
}
