import CZlib
import Foundation
import PMCMS

/// An HTTP response as a crawler recorded it in a WARC `response` record: status, headers and
/// the body with its transfer and content codings undone.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: [UInt8]

    /// Why a recorded response could not be read.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case noStatusLine
        case badChunk
        case badContentEncoding(String)
        case tooLarge(limit: Int)

        public var description: String {
            switch self {
            case .noStatusLine: "the record holds no HTTP status line"
            case .badChunk: "the chunked body is damaged"
            case .badContentEncoding(let coding): "the body's \(coding) compression is damaged"
            case .tooLarge(let limit): "the decoded body is larger than \(limit) bytes"
            }
        }
    }

    /// The media type, lower-cased, without parameters: `text/html`.
    public var mediaType: String? {
        headers["content-type"].map { $0.split(separator: ";").first.map(String.init) ?? "" }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// The `charset` parameter of `Content-Type`, if any.
    public var charset: String? {
        guard let type = headers["content-type"] else { return nil }
        for parameter in type.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "charset" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Parses a `response` record's block, decoding chunked transfer and gzip/deflate content,
    /// with the decoded body bounded by `maxBody`.
    public static func parse(_ block: [UInt8], maxBody: Int) throws(ParseError) -> HTTPResponse {
        let (head, bodyStart) = try parseHead(block)
        let headers = head.headers
        var body = Array(block[bodyStart...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(body)
        }
        switch headers["content-encoding"]?.lowercased().trimmingCharacters(in: .whitespaces) {
        case "gzip", "x-gzip": body = try inflateAll(body, windowBits: 15 + 16, coding: "gzip", limit: maxBody)
        case "deflate": body = try inflateAll(body, windowBits: 15, coding: "deflate", limit: maxBody)
        default: break
        }
        guard body.count <= maxBody else { throw .tooLarge(limit: maxBody) }
        return HTTPResponse(status: head.status, headers: headers, body: body)
    }

    /// The status line and headers alone (the body left empty), and where the body starts: all
    /// an importer needs to pass over a response that is not a page without decoding it, and
    /// all there is of a block too large to keep (`WARCRecord.head`).
    public static func parseHead(_ block: [UInt8]) throws(ParseError) -> (response: HTTPResponse, bodyStart: Int) {
        guard let headerEnd = Self.headerEnd(block) else { throw .noStatusLine }
        // Split on bytes: as Characters, "\r\n" is one grapheme and matches neither.
        var lines = block[..<headerEnd.start].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/") else { throw .noStatusLine }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw .noStatusLine }
        lines.removeFirst()
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (HTTPResponse(status: status, headers: headers, body: []), headerEnd.bodyStart)
    }

    /// Whether the body is a page pmcms imports: `text/html` or `application/xhtml+xml`.
    public var isHTML: Bool { mediaType == "text/html" || mediaType == "application/xhtml+xml" }

    /// `Last-Modified` as the store writes times (RFC 3339, UTC), when it is a valid HTTP date.
    public var lastModified: String? {
        guard let text = headers["last-modified"] else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        // RFC 9110's preferred IMF-fixdate; the obsolete forms are not worth a fallback for a
        // header only consulted when WARC-Date is missing.
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces)).map(Timestamp.format)
    }

    /// Where the header ends (CRLF CRLF, or LF LF from sloppy servers) and the body starts.
    static func headerEnd(_ block: [UInt8]) -> (start: Int, bodyStart: Int)? {
        var i = 0
        while i < block.count {
            if block[i] == 0x0A {
                if i + 1 < block.count, block[i + 1] == 0x0A { return (i, i + 2) }
                if i + 2 < block.count, block[i + 1] == 0x0D, block[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }

    /// Undoes chunked transfer coding (RFC 9112 §7.1): size line in hex, data, CRLF, until 0.
    static func dechunk(_ bytes: [UInt8]) throws(ParseError) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while true {
            guard let lineEnd = bytes[i...].firstIndex(of: 0x0A) else { throw .badChunk }
            var sizeText = String(decoding: bytes[i..<lineEnd], as: UTF8.self)
            if let semicolon = sizeText.firstIndex(of: ";") { sizeText = String(sizeText[..<semicolon]) }
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16), size >= 0 else { throw .badChunk }
            i = lineEnd + 1
            if size == 0 { return out }
            guard size <= bytes.count - i else { throw .badChunk }
            out.append(contentsOf: bytes[i..<(i + size)])
            i += size
            // The CRLF after the chunk's data.
            if i < bytes.count, bytes[i] == 0x0D { i += 1 }
            if i < bytes.count, bytes[i] == 0x0A { i += 1 }
        }
    }

    /// Inflates a whole compressed body through zlib, refusing output over `limit`.
    static func inflateAll(_ bytes: [UInt8], windowBits: Int32, coding: String, limit: Int) throws(ParseError) -> [UInt8] {
        let stream = ZStream()
        guard stream.start(windowBits: windowBits) else { throw .badContentEncoding(coding) }
        let z = stream.pointer
        var input = bytes
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            z.pointee.next_in = inputBuffer.baseAddress
            z.pointee.avail_in = uInt(inputBuffer.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    z.pointee.next_out = outBuffer.baseAddress
                    z.pointee.avail_out = uInt(outBuffer.count)
                    let status = inflate(z, Z_NO_FLUSH)
                    return (status, outBuffer.count - Int(z.pointee.avail_out))
                }
                out.append(contentsOf: chunk[..<produced])
                if out.count > limit { return Z_MEM_ERROR }
                if status == Z_STREAM_END { return Z_OK }
                if status != Z_OK || (produced == 0 && z.pointee.avail_in == 0) { return status == Z_OK ? Z_DATA_ERROR : status }
            }
        }
        if out.count > limit { throw .tooLarge(limit: limit) }
        guard status == Z_OK else { throw .badContentEncoding(coding) }
        return out
    }
}
