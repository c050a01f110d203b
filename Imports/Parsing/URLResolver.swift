import Foundation
import PMCMS

/// Makes link and image addresses absolute against the page's address and refuses the unsafe ones.
struct URLResolver: Sendable {
    /// The absolute http(s) address relative links resolve against, if any is known.
    let base: URL?
    /// The base's host, lowercased.
    let baseHost: String?
    /// `scheme://host[:port]` of the base when it is a simple address, for resolving `/path` links
    /// without Foundation.
    private let baseOrigin: String?

    init(base: URL?) {
        self.base = base
        baseHost = base?.host?.lowercased()
        baseOrigin = base.flatMap { SimpleURL($0.absoluteString) }.map { String($0.origin) }
    }

    /// Chooses the address to resolve against: a `<base href>` only when it is http(s) on the
    /// page's own host (a foreign or `javascript:` base is a known trick), else the page address.
    init(pageURL: String?, baseHref: String?) {
        let page = pageURL.flatMap(Self.absoluteHTTP)
        if let page, let href = baseHref, let resolved = URL(string: Self.encodeUnsafeCharacters(Self.stripControls(href)), relativeTo: page)?.absoluteURL,
           Self.isHTTP(resolved), resolved.host?.lowercased() == page.host?.lowercased() {
            self.init(base: resolved)
        } else {
            self.init(base: page)
        }
    }

    /// The absolute form of `raw`, or nil when it is empty, a fragment-only link, or uses a
    /// scheme other than http, https, mailto or tel (`javascript:`, `vbscript:`, `data:`, …).
    func resolve(_ raw: String) -> String? {
        let cleaned = Self.stripControls(raw)
        return simpleResolution(of: cleaned) ?? foundationResolution(of: cleaned)
    }

    /// `resolve` through Foundation's URL, for every shape of address.
    func foundationResolution(of cleaned: String) -> String? {
        guard !cleaned.isEmpty, !cleaned.hasPrefix("#") else { return nil }
        if let scheme = Self.scheme(of: cleaned) {
            guard ["http", "https", "mailto", "tel"].contains(scheme) else { return nil }
        }
        // libxml2 2.9 knows HTML 4's named references only, so HTML5's `&colon;`, `&Tab;` and
        // `&NewLine;` reach us as text, while a browser decodes them: `javascript&colon;x` is a
        // javascript: URL to a browser (and to cmark, which decodes references in link
        // destinations). Refuse what a browser would read as another scheme.
        var browserReading = cleaned
        for (reference, meaning) in [("&colon;", ":"), ("&tab;", ""), ("&newline;", "")] {
            browserReading = browserReading.replacingOccurrences(of: reference, with: meaning, options: .caseInsensitive)
        }
        if browserReading != cleaned, let scheme = Self.scheme(of: Self.stripControls(browserReading)),
           !["http", "https", "mailto", "tel"].contains(scheme) {
            return nil
        }
        let encoded = Self.encodeUnsafeCharacters(cleaned)
        guard let base else {
            // Without a page address a relative link can only stay relative.
            return encoded
        }
        guard let url = URL(string: encoded, relativeTo: base)?.absoluteURL else { return nil }
        let text = url.absoluteString
        if let scheme = Self.scheme(of: text), !["http", "https", "mailto", "tel"].contains(scheme) { return nil }
        return text
    }

    /// What `resolve` gives, worked out without Foundation for the two shapes nearly every link
    /// has: a simple absolute http(s) address (itself) and a simple path from the site's root
    /// (the base's origin followed by it). Nil for anything else. A test checks it against
    /// Foundation's resolution for every link of the fixture and real-world pages.
    func simpleResolution(of cleaned: String) -> String? {
        var candidate = cleaned
        if cleaned.hasPrefix("/") {
            guard let baseOrigin, !cleaned.hasPrefix("//") else { return nil }  // `//host/x` names another host
            candidate = baseOrigin + cleaned
        }
        // Foundation gives a bare origin (`https://host`) back as it is, and so do we; an origin
        // followed directly by a query is left to it.
        guard let url = SimpleURL(candidate), !url.path.isEmpty || url.query == nil else { return nil }
        return candidate
    }

    /// An absolute http(s) URL parsed from `text`, else nil.
    static func absoluteHTTP(_ text: String) -> URL? {
        guard let url = URL(string: encodeUnsafeCharacters(stripControls(text))), isHTTP(url), url.host != nil else { return nil }
        return url
    }

    static func isHTTP(_ url: URL) -> Bool {
        let scheme = url.scheme?.lowercased()
        return scheme == "http" || scheme == "https"
    }

    /// The lowercase scheme of `text`, if it starts with one.
    static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let candidate = text[..<colon]
        guard let first = candidate.first, first.isASCII, first.isLetter,
              candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return nil }
        return candidate.lowercased()
    }

    /// Removes what browsers ignore in URLs (tabs, newlines and control characters anywhere,
    /// spaces at the ends), so that `java\tscript:` is seen as the `javascript:` it is.
    static func stripControls(_ text: String) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, first != 0x20, last != 0x20,
           text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return text  // printable ASCII with no space at either end: nothing to remove
        }
        let kept = text.unicodeScalars.filter { $0 == " " || ($0.value > 0x20 && $0.value != 0x7F && !Whitespace.isInvisible($0)) }
        return String(String.UnicodeScalarView(kept)).trimmedOfWhitespace
    }

    /// Percent-encodes characters URLs may not hold literally (non-ASCII, quotes, brackets…).
    static func encodeUnsafeCharacters(_ text: String) -> String {
        if text.utf8.allSatisfy(SimpleURL.isLiteral) { return text }
        let utf8 = Array(text.utf8)
        var out = ""
        out.reserveCapacity(utf8.count)
        func isHex(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte) }
        for (index, byte) in utf8.enumerated() {
            let allowed = byte > 0x20 && byte < 0x7F && !"\"<>\\^`{|} ".utf8.contains(byte)
            if byte == UInt8(ascii: "%") {
                let valid = index + 2 < utf8.count && isHex(utf8[index + 1]) && isHex(utf8[index + 2])
                out += valid ? "%" : "%25"
            } else if allowed {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// A form of an address for deciding whether two links point at the same page: scheme,
    /// `www.`, default ports, fragment, trailing slash, `.html` and `index` are ignored.
    static func comparisonKey(_ text: String) -> String {
        if let url = SimpleURL(stripControls(text)) {
            var host = url.host.lowercased()
            if host.hasPrefix("www.") { host.removeFirst(4) }
            return host + trimmedPath(String(url.path)) + (url.query.map { "?" + $0 } ?? "")
        }
        return foundationComparisonKey(text)
    }

    /// `comparisonKey` through Foundation's URLComponents, for every shape of address.
    static func foundationComparisonKey(_ text: String) -> String {
        guard let components = URLComponents(string: encodeUnsafeCharacters(stripControls(text))) else { return text.lowercased() }
        var host = (components.host ?? "").lowercased()
        if host.hasPrefix("www.") { host.removeFirst(4) }
        var path = trimmedPath(components.percentEncodedPath)
        if host.isEmpty {
            // Relative addresses (no page address known): "/faq/x" and "faq/x" name the same page.
            while path.hasPrefix("/") || path.hasPrefix("./") { path.removeFirst(path.hasPrefix("/") ? 1 : 2) }
        }
        let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        return host + path + query
    }

    /// A path without what `comparisonKey` ignores: `index` pages, `.html`, trailing slashes.
    private static func trimmedPath(_ path: String) -> String {
        var path = path
        for suffix in ["/index.html", "/index.htm", "/index.php", "/index"] where path.lowercased().hasSuffix(suffix) {
            path.removeLast(suffix.count)
        }
        for suffix in [".html", ".htm"] where path.lowercased().hasSuffix(suffix) {
            path.removeLast(suffix.count)
        }
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
