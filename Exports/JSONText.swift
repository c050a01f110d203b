import Foundation
import PMCMS

/// JSON as the exports write it: encoded by PMCMS's `JSONOutput.encoder` (sorted keys), then
/// made safe to paste into an HTML page.
///
/// Exports end up on web pages (JSON-LD inside `<script>`, JSON fed to templates), where a
/// `</script>` inside a string would end the script. `<`, `>` and `&` can only occur inside
/// JSON strings, so replacing them with their `\u` escapes changes no decoded value.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        htmlSafe(try JSONOutput.encoder(pretty: false).encode(value))
    }

    static func htmlSafe(_ data: Data) -> Data {
        // Every entry object holds markup (its body_html), so this runs over every byte of an
        // export: runs without `<`, `>` or `&` are copied whole, and only those three bytes are
        // looked at one by one (appending byte by byte was once half of a JSON export's time).
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Data in
            var out = [UInt8]()
            var start = 0
            for index in bytes.indices {
                let replacement: [UInt8]
                switch bytes[index] {
                case UInt8(ascii: "<"): replacement = lessThan
                case UInt8(ascii: ">"): replacement = greaterThan
                case UInt8(ascii: "&"): replacement = ampersand
                default: continue
                }
                if out.isEmpty { out.reserveCapacity(bytes.count + bytes.count / 8) }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                out.append(contentsOf: replacement)
                start = index + 1
            }
            guard start > 0 else { return data }  // nothing to escape
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
            return Data(out)
        }
    }

    private static let lessThan = Array(#"\u003c"#.utf8)
    private static let greaterThan = Array(#"\u003e"#.utf8)
    private static let ampersand = Array(#"\u0026"#.utf8)
}

/// Writes one JSON object whose members are encoded one by one, with at most one array member
/// streamed element by element, so that a document of any size is never held in memory.
struct JSONObjectStream {
    private let sink: OutputSink
    private var needsComma = false
    private var arrayCount = 0

    init(sink: OutputSink) {
        self.sink = sink
    }

    mutating func begin() throws {
        try sink.write("{")
    }

    mutating func member<T: Encodable>(_ key: String, _ value: T) throws {
        try writeKey(key)
        try sink.write(try JSONText.encode(value))
    }

    /// Opens an array member; each element goes on its own line.
    mutating func beginArray(_ key: String) throws {
        try writeKey(key)
        try sink.write("[")
        arrayCount = 0
    }

    mutating func element<T: Encodable>(_ value: T) throws {
        try sink.write(arrayCount == 0 ? "\n" : ",\n")
        try sink.write(try JSONText.encode(value))
        arrayCount += 1
    }

    /// Appends an element that is already JSON text (and already HTML-safe).
    mutating func element(json: Data) throws {
        try sink.write(arrayCount == 0 ? "\n" : ",\n")
        try sink.write(json)
        arrayCount += 1
    }

    mutating func endArray() throws {
        try sink.write(arrayCount == 0 ? "]" : "\n]")
    }

    mutating func end() throws {
        try sink.write("}\n")
    }

    private mutating func writeKey(_ key: String) throws {
        if needsComma { try sink.write(",") }
        needsComma = true
        try sink.write(try JSONText.encode(key))
        try sink.write(":")
    }
}

/// The entry object, plus its `revisions` when the export was asked `--with-history`.
struct EntryWithHistory: Encodable {
    let entry: StreamedEntry

    private enum HistoryKey: String, CodingKey { case revisions }

    func encode(to encoder: any Encoder) throws {
        try entry.view.encode(to: encoder)
        if let revisions = entry.revisions {
            var container = encoder.container(keyedBy: HistoryKey.self)
            try container.encode(revisions, forKey: .revisions)
        }
    }
}
