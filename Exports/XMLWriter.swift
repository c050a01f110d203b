import CLibXML2
import Foundation

/// A small Swift face on libxml2's `xmlTextWriter`, which does all the escaping: no XML is ever
/// put together from strings here.
///
/// The writer fills a memory buffer; `drain()` moves what it holds to the sink, so a feed is
/// written item by item rather than kept whole.
final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr
    private let sink: OutputSink

    init(sink: OutputSink) throws {
        guard let buffer = xmlBufferCreate() else { throw ExportError.xmlWriter(step: "create a buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw ExportError.xmlWriter(step: "create a writer")
        }
        self.buffer = buffer
        self.writer = writer
        self.sink = sink
        _ = xmlTextWriterSetIndent(writer, 1)
        _ = Self.withXMLChars("  ") { xmlTextWriterSetIndentString(writer, $0) }
    }

    deinit {
        // The writer does not own a memory buffer: free both.
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    func startDocument() throws {
        try check("start the document", xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil))
    }

    func endDocument() throws {
        try check("end the document", xmlTextWriterEndDocument(writer))
        try drain()
    }

    func start(_ name: String) throws {
        try check("start <\(name)>", Self.withXMLChars(name) { xmlTextWriterStartElement(writer, $0) })
    }

    func end() throws {
        try check("end an element", xmlTextWriterEndElement(writer))
    }

    func attribute(_ name: String, _ value: String) throws {
        let clean = Self.clean(value)
        try check("write @\(name)", Self.withXMLChars(name) { n in
            Self.withXMLChars(clean) { v in xmlTextWriterWriteAttribute(writer, n, v) }
        })
    }

    /// `<name attributes…>text</name>`.
    func element(_ name: String, _ text: String, attributes: KeyValuePairs<String, String> = [:]) throws {
        try start(name)
        for (key, value) in attributes { try attribute(key, value) }
        let clean = Self.clean(text)
        try check("write <\(name)> text", Self.withXMLChars(clean) { xmlTextWriterWriteString(writer, $0) })
        try end()
    }

    /// `<name>text</name>` for RSS's plain-text elements (titles, the channel description): `&`
    /// and `<` are written as the hexadecimal references `&#x26;` and `&#x3C;`, which the RSS
    /// Profile asks for so that readers do not take the text for HTML. The text itself still
    /// goes through libxml2's escaping; only those two constant references are written raw.
    func plainText(_ name: String, _ text: String) throws {
        try start(name)
        var run = ""
        func flush() throws {
            guard !run.isEmpty else { return }
            try check("write <\(name)> text", Self.withXMLChars(run) { xmlTextWriterWriteString(writer, $0) })
            run = ""
        }
        for character in Self.clean(text) {
            switch character {
            case "&", "<":
                try flush()
                try check("write <\(name)> text", xmlTextWriterWriteRaw(writer, character == "&" ? "&#x26;" : "&#x3C;"))
            default:
                run.append(character)
            }
        }
        try flush()
        try end()
    }

    /// `text` escaped for HTML (`&`, `<`, `>`, `"`) by libxml2: plain text carried where a
    /// reader expects HTML (an RSS description, an Atom `type="html"` text construct).
    static func htmlEscaped(_ text: String) -> String {
        guard let encoded = withXMLChars(clean(text), { xmlEncodeSpecialChars(nil, $0) }) else { return "" }
        defer { pmcms_xmlFree(encoded) }
        return String(cString: encoded)
    }

    /// Text as CDATA sections, as WordPress writes WXR. A CDATA section cannot hold `]]>`, so
    /// the text is split after its `]]` into two sections; a reader joins them back.
    func cdata(_ text: String) throws {
        let pieces = Self.clean(text).components(separatedBy: "]]>")
        for (index, piece) in pieces.enumerated() {
            let isLast = index == pieces.count - 1
            // Each split moves "]]" to the end of one section and ">" to the start of the next.
            let section = (index == 0 ? "" : ">") + piece + (isLast ? "" : "]]")
            try check("write CDATA", Self.withXMLChars(section) { xmlTextWriterWriteCDATA(writer, $0) })
        }
    }

    /// `<name attributes…/>`.
    func empty(_ name: String, attributes: KeyValuePairs<String, String>) throws {
        try start(name)
        for (key, value) in attributes { try attribute(key, value) }
        try end()
    }

    /// Moves what the writer has produced so far to the sink.
    func drain() throws {
        try check("flush", xmlTextWriterFlush(writer))
        let length = Int(xmlBufferLength(buffer))
        if length > 0, let content = xmlBufferContent(buffer) {
            try sink.write(bytes: UnsafeBufferPointer(start: content, count: length))
        }
        xmlBufferEmpty(buffer)
    }

    private func check(_ step: String, _ result: Int32) throws {
        if result < 0 { throw ExportError.xmlWriter(step: step) }
    }

    private static func withXMLChars<T>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> T) -> T {
        text.withCString { chars in
            chars.withMemoryRebound(to: xmlChar.self, capacity: text.utf8.count + 1) { body($0) }
        }
    }

    /// XML 1.0 cannot hold most control characters, nor NUL (which would also cut the C
    /// string), and discourages DEL and the C1 controls: they are left out so that the
    /// document stays well-formed. (A U+FFFD in their place reads to feed readers and the W3C
    /// Feed Validator as text damaged by a wrong encoding.)
    static func clean(_ text: String) -> String {
        func allowed(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: true
            case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
            default: false
            }
        }
        guard !text.unicodeScalars.allSatisfy(allowed) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where allowed(scalar) {
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
