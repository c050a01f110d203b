import Foundation

/// Turns the bytes of one scraped page into questions, links, article cards or an article.
/// Pure: bytes and the page's address in, values out; no store, no file system.
public enum Extractor {
    /// The default size limit, 20 MB.
    public static let defaultMaxSize = 20_000_000
    /// The deepest nesting read. libxml2 alone stops at 256 and silently drops the rest, which
    /// 300 unclosed `<font>` tags reach; far deeper pages are refused by name instead of risking
    /// silent loss (or time: some searches walk a node's ancestors).
    public static let maxDepth = 4_096

    /// Extracts everything a page gives. `pageURL` is where the page lives (used to make links
    /// absolute and to recognise links to the page itself); without it the canonical link is used.
    /// `charset` is the one the page was served with (HTTP `Content-Type`, from a WARC record):
    /// as in a browser it counts after a byte-order mark and ahead of `<meta charset>`.
    public static func extract(_ bytes: [UInt8], pageURL: String?, charset: String? = nil, maxSize: Int = defaultMaxSize) throws(ExtractionError) -> ExtractedPage {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= maxSize else { throw .tooLarge(bytes: bytes.count, limit: maxSize) }
        let (encoding, bomLength) = EncodingDetector.detect(bytes, transportCharset: charset)
        var content = Array(bytes.dropFirst(bomLength))
        guard content.contains(where: { !Self.isASCIIWhitespace($0) }) else { throw .empty }
        if !encoding.hasPrefix("UTF-16"), Self.looksBinary(content) { throw .binary }
        if let start = HTMLSniffer.notHTML(content, encoding: encoding) { throw .notHTML(start: start) }
        if encoding == "UTF-8", !EncodingDetector.isValidUTF8(content) {
            // Declared UTF-8 with a few bad bytes: replace them rather than let libxml2 switch the
            // whole rest of the page to Latin-1 at the first error.
            content = Array(String(decoding: content, as: UTF8.self).utf8)
        }
        guard let document = HTMLDocument(bytes: content, encoding: encoding)
                ?? (encoding == "UTF-8" ? nil : HTMLDocument(bytes: content, encoding: "windows-1252")),
              document.root != nil else { throw .unparseable }
        guard document.depth(upTo: maxDepth) <= maxDepth else { throw .tooDeep(limit: maxDepth) }
        UnclosedContainers.repair(document)
        return document.withNodes { PageReader(document: $0, pageURL: pageURL).read() }
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    /// NUL bytes, or more than one byte in ten a control character, in the first 8 KiB: no
    /// HTML page looks like that, images and archives do.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let sample = bytes.prefix(8192)
        if sample.contains(0) { return true }
        let controls = sample.filter { $0 < 0x20 && !isASCIIWhitespace($0) && $0 != 0x1B }.count
        return controls * 10 > sample.count
    }
}
