import Foundation

extension Content {
    /// Checks what every revision must satisfy; throws `StoreError.invalidField` naming the field.
    public func validate(kind: Kind) throws {
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw StoreError.invalidField(name: "title", reason: "a \(kind.rawValue) needs a title")
        }
        if title.utf8.contains(0x0A) {
            throw StoreError.invalidField(name: "title", reason: "must be one line")
        }
        if let editedAt, !Timestamp.isValid(editedAt) {
            throw StoreError.invalidField(name: "edited_at", reason: "'\(editedAt)' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
        }
        for (name, value) in [("image_url", imageURL), ("source_url", sourceURL)] {
            if let value, let reason = URLCheck.problem(value) {
                throw StoreError.invalidField(name: name, reason: reason)
            }
        }
        for link in related + articles {
            if link.url == nil && link.slug == nil {
                throw StoreError.invalidField(name: "link", reason: "'\(link.title)' has neither a URL nor a slug")
            }
            if let url = link.url, let reason = URLCheck.problem(url) {
                throw StoreError.invalidField(name: "link", reason: reason)
            }
        }
    }
}

/// The store's rule for URLs: web URLs or site-relative paths, nothing a browser would execute.
public enum URLCheck {
    /// Why `text` is not an acceptable URL, or nil when it is.
    public static func problem(_ text: String) -> String? {
        if text.isEmpty { return "a URL cannot be empty" }
        if SimpleURL(text) != nil { return nil }  // the shape of nearly every URL, read without Foundation
        // Plain ASCII (nearly every URL) is checked byte by byte; Unicode properties are looked
        // up only for the rest, which made this check a hot spot of imports.
        let spaced = text.utf8.allSatisfy({ $0 < 0x80 })
            ? text.utf8.contains(where: { $0 <= 0x20 })  // ASCII whitespace is 0x09-0x0D and 0x20
            : text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 })
        if spaced {
            return "'\(text)' contains spaces or control characters"
        }
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            let scheme = text[..<colon].lowercased()
            guard scheme == "http" || scheme == "https" else {
                return "'\(text)' uses the scheme '\(scheme)'; only http and https URLs (or site paths) are allowed"
            }
            guard let url = URL(string: text), url.host != nil else { return "'\(text)' is not a valid URL" }
        }
        return nil
    }

    /// Whether `text` is an absolute http(s) URL.
    public static func isAbsoluteWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil else { return false }
        return scheme == "http" || scheme == "https"
    }
}
