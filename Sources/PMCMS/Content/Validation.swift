import Foundation

extension Content {
    /// Checks what every revision must satisfy; throws `StoreError.invalidField` naming the field.
    public func validate(kind: Kind) throws {
        // First, so that no later check quotes a value with control characters in it.
        for (name, value) in textFields {
            if let value, let reason = TextCheck.controlProblem(value) {
                throw StoreError.invalidField(name: name, reason: reason)
            }
        }
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw StoreError.invalidField(name: "title", reason: "a \(kind.rawValue) needs a title")
        }
        if title.utf8.contains(0x0A) {
            throw StoreError.invalidField(name: "title", reason: "must be one line")
        }
        if let editedAt, !Timestamp.isValid(editedAt) {
            throw StoreError.notADate(field: "edited_at", text: editedAt)
        }
        for (name, value) in [("image_url", imageURL), ("source_url", sourceURL)] {
            if let value, let reason = URLCheck.problem(URLCheck.encoded(value)) {
                throw StoreError.invalidField(name: name, reason: reason)
            }
        }
        for link in related + articles {
            if link.url == nil && link.slug == nil {
                throw StoreError.invalidField(name: "link", reason: "'\(link.title)' has neither a URL nor a slug")
            }
            if let url = link.url, let reason = URLCheck.problem(URLCheck.encoded(url)) {
                throw StoreError.invalidField(name: "link", reason: reason)
            }
        }
    }
}

extension Content {
    /// Every text field by name, for checks that apply to all of them.
    var textFields: [(String, String?)] {
        var fields: [(String, String?)] = [
            ("title", title), ("body", body), ("summary", summary), ("image_url", imageURL), ("source_url", sourceURL),
            ("edited_at", editedAt),
        ]
        for (role, links) in [("related", related), ("articles", articles)] {
            for link in links { fields += [(role, link.title), (role, link.url), (role, link.slug)] }
        }
        return fields
    }

    /// The content with C0 control characters other than tab and line ends removed from every
    /// text field: what an import does with text a page should not hold (a page is kept,
    /// without them), where a person's input is refused instead (`validate`).
    public func removingControlCharacters() -> Content {
        var copy = self
        copy.title = TextCheck.removingControls(title)
        copy.body = TextCheck.removingControls(body)
        copy.summary = summary.map(TextCheck.removingControls)
        copy.imageURL = imageURL.map(TextCheck.removingControls)
        copy.sourceURL = sourceURL.map(TextCheck.removingControls)
        copy.editedAt = editedAt.map(TextCheck.removingControls)
        for index in copy.related.indices { copy.related[index] = copy.related[index].removingControlCharacters() }
        for index in copy.articles.indices { copy.articles[index] = copy.articles[index].removingControlCharacters() }
        return copy
    }
}

extension LinkRef {
    func removingControlCharacters() -> LinkRef {
        LinkRef(title: TextCheck.removingControls(title), url: url.map(TextCheck.removingControls), slug: slug.map(TextCheck.removingControls))
    }
}

/// The rule for text: no NUL and no other C0 control character but tab, newline and the
/// carriage return of a CRLF line end. A NUL cut stored text short, and controls (ESC, BEL)
/// reach terminals and feeds; either is refused with the field named, never stored.
public enum TextCheck {
    /// Why `text` holds a control character it may not, or nil.
    public static func controlProblem(_ text: String) -> String? {
        var offset = 0
        var carriageReturn: Int?  // where a CR waits for the LF that makes it a line end
        for byte in text.utf8 {
            defer { offset += 1 }
            if let at = carriageReturn {
                if byte != 0x0A { return "contains a lone carriage return (\\r) at byte \(at); use newlines" }
                carriageReturn = nil
            }
            if byte >= 0x20 || byte == 0x09 || byte == 0x0A { continue }
            if byte == 0x0D {
                carriageReturn = offset
                continue
            }
            return "contains the control character \(name(byte)) at byte \(offset); remove it (only tab and newline are allowed)"
        }
        if let at = carriageReturn { return "contains a lone carriage return (\\r) at byte \(at); use newlines" }
        return nil
    }

    /// `text` without the control characters `controlProblem` refuses (a lone CR becomes a newline).
    public static func removingControls(_ text: String) -> String {
        guard controlProblem(text) != nil else { return text }
        var scalars = String.UnicodeScalarView()
        var pendingCR = false
        for scalar in text.unicodeScalars {
            if pendingCR {
                scalars.append(scalar == "\n" ? "\r" : "\n")
                pendingCR = false
            }
            switch scalar.value {
            case 0x0D: pendingCR = true
            case 0x09, 0x0A, 0x20...: scalars.append(scalar)
            default: continue
            }
        }
        if pendingCR { scalars.append("\n") }
        return String(scalars)
    }

    private static func name(_ byte: UInt8) -> String {
        switch byte {
        case 0x00: "NUL (\\0)"
        case 0x07: "BEL"
        case 0x08: "backspace"
        case 0x1B: "ESC"
        default: String(format: "U+%04X", byte)
        }
    }

    /// Throws `StoreError.invalidField` naming `field` when `text` holds a refused control character.
    public static func require(_ text: String?, field: String) throws {
        if let text, let reason = controlProblem(text) { throw StoreError.invalidField(name: field, reason: reason) }
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

    /// Characters that are not allowed in a URL and would end an HTML attribute or start
    /// markup (`"`, `'`, `<`, `>`, backquote) or are otherwise unsafe (`{ } | \\ ^`): each is
    /// percent-encoded on input, so a stored URL is safe wherever it is pasted.
    static let unsafeBytes: Set<UInt8> = Set("\"'<>`{}|\\^".utf8)

    /// `text` with `unsafeBytes` percent-encoded; anything else, `%XX` escapes included, unchanged.
    public static func encoded(_ text: String) -> String {
        guard text.utf8.contains(where: unsafeBytes.contains) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, unsafeBytes.contains(UInt8(scalar.value)) {
                result += String(format: "%%%02X", scalar.value)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `text` is an absolute http(s) URL.
    public static func isAbsoluteWebURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil else { return false }
        return scheme == "http" || scheme == "https"
    }
}
