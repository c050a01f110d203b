import Foundation

/// Readable URL slugs: lowercase ASCII words joined by hyphens.
public enum Slug {
    /// `"Is PMO more senior than project manager?"` → `"is-pmo-more-senior-than-project-manager"`.
    public static func make(_ text: String, maxLength: Int = 80) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        var pendingHyphen = false
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                if pendingHyphen && !out.isEmpty { out.append("-") }
                pendingHyphen = false
                out.unicodeScalars.append(scalar)
            } else if scalar == "'" || scalar == "\u{2019}" {
                continue  // "don't" reads better as "dont" than "don-t"
            } else {
                pendingHyphen = true
            }
            if out.count >= maxLength { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "entry" : out.lowercased()
    }

    /// Whether `text` looks like an entry id rather than a slug.
    public static func isNumericID(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber)
    }
}
