/// The canonical JSON of a revision's content and links, written by hand.
///
/// The store hashes `{"content": …, "kind": …}` and keeps links as JSON text; both used to go
/// through `JSONEncoder` with sorted keys, which was the largest single cost of writing a
/// revision. This writer produces the very same bytes (checked against `JSONEncoder` by
/// `CanonicalJSONTests`), so existing hashes and stored links stay valid: keys in byte order,
/// absent optionals left out, `"`, `\` and control characters escaped as `JSONEncoder` escapes
/// them (`\b \t \n \f \r`, else `\u00xx`), slashes and non-ASCII text as they are.
enum CanonicalJSON {
    /// The bytes `contentHash` hashes.
    static func hashInput(kind: Kind, content: Content) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.body.utf8.count + 128 * (content.related.count + content.articles.count) + 256)
        out.append(contentsOf: #"{"content":{"articles":"#.utf8)
        links(content.articles, into: &out)
        out.append(contentsOf: #","body":"#.utf8)
        string(content.body, into: &out)
        member("editedAt", content.editedAt, into: &out)
        member("imageURL", content.imageURL, into: &out)
        member("publishedAt", content.publishedAt, into: &out)
        out.append(contentsOf: #","related":"#.utf8)
        links(content.related, into: &out)
        member("sourceURL", content.sourceURL, into: &out)
        member("status", content.status.rawValue, into: &out)
        member("summary", content.summary, into: &out)
        member("title", content.title, into: &out)
        out.append(contentsOf: #"},"kind":"#.utf8)
        string(kind.rawValue, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The JSON array of `links`, as the `related` and `articles` columns hold it.
    static func links(_ links: [LinkRef]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(128 * links.count + 2)
        self.links(links, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func links(_ links: [LinkRef], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, link) in links.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in [("slug", link.slug), ("title", link.title), ("url", link.url)] {
                guard let value else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                string(key, into: &out)
                out.append(UInt8(ascii: ":"))
                string(value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `,"key":"value"`, or nothing when the value is absent.
    private static func member(_ key: String, _ value: String?, into out: inout [UInt8]) {
        guard let value else { return }
        out.append(UInt8(ascii: ","))
        string(key, into: &out)
        out.append(UInt8(ascii: ":"))
        string(value, into: &out)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
