import Foundation
import PMCMS
import Testing
@testable import Imports

/// The byte-level address handling (`SimpleURL`) must give exactly what Foundation gives, for
/// every address it accepts: it replaced Foundation on the import's hot path.
@Suite struct SimpleURLTests {
    /// Every `href` and `src` written in the fixture pages (the real-world pages included), plus
    /// shapes chosen to sit on the edge of what the fast path accepts.
    static func addresses() throws -> [String] {
        var files: [URL] = []
        let walker = try #require(FileManager.default.enumerator(at: Fixtures.directory, includingPropertiesForKeys: nil))
        for case let url as URL in walker where ["html", "htm"].contains(url.pathExtension) { files.append(url) }
        let attribute = try NSRegularExpression(pattern: #"(?:href|src)\s*=\s*["']([^"']*)["']"#, options: [.caseInsensitive])
        var found = Set<String>()
        for file in files {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            let ns = text as NSString
            for match in attribute.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                found.insert(ns.substring(with: match.range(at: 1)))
            }
        }
        let edges = [
            "https://www.example.org", "https://www.example.org/", "HTTPS://WWW.Example.org/FAQ/X", "http://example.org:8080/a",
            "https://example.org/a/./b", "https://example.org/a/../b", "https://example.org/a/..", "https://example.org/.hidden/x",
            "https://example.org/a...b/c", "https://example.org/a?b=c#d", "https://example.org/a#b#c", "https://example.org?x=1",
            "https://example.org#top", "https://user@example.org/a", "https://[::1]/a", "https://example.org/a b", "/faq/x", "/faq/./x",
            "//cdn.example.org/x.js", "/", "/?q=1", "/a#frag", "/a/b/../c", "faq/x", "../x", "https://exa_mple.org/a",
            "https://example.org:/a", "https://example.org:80x/a", "https://example.org/%41", "https://example.org/a&b",
            "javascript:alert(1)", "mailto:a@example.org", "https://example.org/~user/(x)", "http://example.org/a;b=c",
        ]
        return found.sorted() + edges
    }

    static let bases = [
        "https://www.example.org/faq/is-pmo-more-senior-than-project-manager",
        "http://Example.ORG:8080/a/b/",
        "https://blog.example.com/2024/01/post.html?x=1#y",
    ]

    @Test func fastResolutionMatchesFoundation() throws {
        let addresses = try Self.addresses()
        var fast = 0
        for base in Self.bases {
            let resolver = URLResolver(pageURL: base, baseHref: nil)
            for address in addresses {
                let cleaned = URLResolver.stripControls(address)
                guard let simple = resolver.simpleResolution(of: cleaned) else { continue }
                fast += 1
                #expect(simple == resolver.foundationResolution(of: cleaned), "\(address) against \(base)")
            }
        }
        // The comparison above must have had real work to do.
        #expect(fast > 200)
    }

    @Test func fastComparisonKeyMatchesFoundation() throws {
        var fast = 0
        for address in try Self.addresses() {
            guard SimpleURL(URLResolver.stripControls(address)) != nil else { continue }
            fast += 1
            #expect(URLResolver.comparisonKey(address) == URLResolver.foundationComparisonKey(address), "\(address)")
        }
        // The site fixtures hold about 45 simple absolute addresses; the real-world pages add hundreds.
        #expect(fast > 100)
    }

    /// `URLCheck` accepts a simple address without asking Foundation; Foundation must agree.
    @Test func simpleAddressesAreValidURLs() throws {
        for address in try Self.addresses() where SimpleURL(address) != nil {
            #expect(URL(string: address)?.host != nil, "\(address)")
            #expect(URLCheck.problem(address) == nil, "\(address)")
        }
    }

    @Test func unusualAddressesAreLeftToFoundation() {
        for address in ["https://example.org/a/../b", "https://user@example.org/", "https://[::1]/", "https://example.org/%41",
                        "https://example.org/a#b#c", "ftp://example.org/x", "https://example.org/a b", "https://exa_mple.org/"] {
            #expect(SimpleURL(address) == nil, "\(address)")
        }
        let url = SimpleURL("HTTPS://WWW.Example.org:8443/FAQ/x.html?a=1#top")
        #expect(url?.host == "WWW.Example.org")
        #expect(url?.origin == "HTTPS://WWW.Example.org:8443")
        #expect(url?.path == "/FAQ/x.html")
        #expect(url?.query == "a=1")
    }
}
