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
        // Counted first: most entries have nothing to escape and are returned as they are, the
        // rest are copied into one buffer of the right size (this loop once appended byte by
        // byte to a Data, and was half of a JSON export's time).
        // Counted over the raw bytes: Data's own iterator costs a call per byte.
        let escapes = data.withUnsafeBytes { bytes in
            bytes.reduce(0) { $0 + (($1 == UInt8(ascii: "<") || $1 == UInt8(ascii: ">") || $1 == UInt8(ascii: "&")) ? 1 : 0) }
        }
        guard escapes > 0 else { return data }
        var out = [UInt8]()
        out.reserveCapacity(data.count + 5 * escapes)
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "<"): out.append(contentsOf: lessThan)
                case UInt8(ascii: ">"): out.append(contentsOf: greaterThan)
                case UInt8(ascii: "&"): out.append(contentsOf: ampersand)
                default: out.append(byte)
                }
            }
        }
        return Data(out)
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

    func encode(to encoder: Encoder) throws {
        try entry.view.encode(to: encoder)
        if let revisions = entry.revisions {
            var container = encoder.container(keyedBy: HistoryKey.self)
            try container.encode(revisions, forKey: .revisions)
        }
    }
}
