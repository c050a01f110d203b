import Foundation
import Testing
@testable import PMCMS

/// The hand-written canonical JSON must give JSONEncoder's bytes exactly: stored hashes and
/// link columns were written by JSONEncoder, and `verify` recomputes the hashes.
struct CanonicalJSONTests {
    private struct Canonical: Encodable {
        let kind: Kind
        let content: Content
    }

    private func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private var awkward: String {
        var text = ""
        for value in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(value)!) }
        return text + "é€😀\u{2028}\u{2029}\u{FEFF}\u{85} </script> a/b \\\" "
    }

    @Test func hashInputIsJSONEncodersBytes() throws {
        let full = Content(
            status: .inReview, title: "Title \(awkward)", body: "Body\n\n\(awkward)", summary: awkward,
            imageURL: "https://example.org/a.jpg", sourceURL: "https://example.org/faq/x?y=1&z=/2",
            editedAt: "2026-06-09", publishedAt: "2026-11-29T10:00:00Z",
            related: [LinkRef(title: "One \(awkward)", url: "https://example.org/1"), LinkRef(title: "Two", slug: "two"),
                      LinkRef(title: "Three", url: "/faq/3", slug: "three")],
            articles: [LinkRef(title: "Card", url: "https://example.org/articles/card")])
        let sparse = Content(title: "Only a title")
        for content in [full, sparse] {
            for kind in Kind.allCases {
                let expected = [UInt8](try encoder().encode(Canonical(kind: kind, content: content)))
                #expect(CanonicalJSON.hashInput(kind: kind, content: content) == expected)
            }
            for links in [content.related, content.articles, []] {
                #expect(CanonicalJSON.links(links) == String(decoding: try encoder().encode(links), as: UTF8.self))
            }
        }
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
