public import Foundation  // LocalizedError conformance

/// A revision named on the command line: a number, or `live`, `latest` or `upstream`.
public enum RevisionName: Sendable, Hashable, CustomStringConvertible {
    /// Revision N.
    case number(Int)
    /// The revision the site shows.
    case live
    /// The entry's current revision (its head), which is what an editor sees.
    case latest
    /// The newest unmerged upstream (import) revision.
    case upstream

    /// Parses `3`, `r3`, `live`, `latest` or `upstream`; nil for anything else.
    public init?(parsing text: String) {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch word {
        case "live": self = .live
        case "latest", "head": self = .latest
        case "upstream": self = .upstream
        default:
            let digits = word.hasPrefix("r") ? String(word.dropFirst()) : word
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n >= 1 else { return nil }
            self = .number(n)
        }
    }

    /// What the parser accepts, for usage errors.
    public static let accepted = "a revision number (3 or r3), live, latest or upstream"

    public var description: String {
        switch self {
        case .number(let n): "r\(n)"
        case .live: "live"
        case .latest: "latest"
        case .upstream: "upstream"
        }
    }
}

/// Why a revision name does not name a revision of an entry.
public enum RevisionNameError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case notPublished(slug: String)
    case noUpstream(slug: String)

    public var description: String {
        switch self {
        case .notPublished(let slug):
            return "'\(slug)' has no live revision: it is not published"
        case .noUpstream(let slug):
            return "'\(slug)' has no upstream import revision: every import was applied"
        }
    }

    public var errorDescription: String? { description }
}
