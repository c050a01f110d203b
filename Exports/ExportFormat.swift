public import PMCMS  // exports a ContentStore, with its types (Kind, SettingKey, StreamSelection)

/// The formats `pmcms export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case json, ndjson, csv, rss, atom, jsonfeed
    case faqJSONLD = "faq-jsonld"
    case sitemap
    /// WordPress eXtended RSS 1.2, for WordPress's importer.
    case wxr
    /// A Hugo content tree: a folder, not a stream (see `HugoExport`).
    case hugo

    /// The settings the format cannot be written without.
    public var requiredSettings: [SettingKey] {
        switch self {
        case .rss, .atom, .jsonfeed, .wxr: [.siteTitle, .siteURL]
        case .sitemap: [.siteURL]
        case .json, .ndjson, .csv, .faqJSONLD, .hugo: []
        }
    }

    /// Whether the format is a newest-first feed capped at `feed.limit`.
    public var isFeed: Bool { self == .rss || self == .atom || self == .jsonfeed }

    /// The file name a feed's self link points at when `--out` does not name one.
    public var defaultFileName: String {
        switch self {
        case .json: "export.json"
        case .ndjson: "export.ndjson"
        case .csv: "export.csv"
        case .rss: "feed.xml"
        case .atom: "atom.xml"
        case .jsonfeed: "feed.json"
        case .faqJSONLD: "faq.jsonld"
        case .sitemap: "sitemap.xml"
        case .wxr: "wordpress.xml"
        case .hugo: "content"
        }
    }
}

/// What to export and how; `problems()` tells which combinations make no sense.
public struct ExportOptions: Sendable {
    public var format: ExportFormat
    /// `.live` (published entries, the default) or `.head` (`--all`).
    public var selection: StreamSelection = .live
    public var kind: Kind?
    public var since: String?
    public var withHistory = false
    public var bom = false
    public var columns: [CSVColumn] = CSVColumn.allCases
    public var columnsGiven = false
    public var raw = false
    /// The file name the export is published under, for the feeds' self links.
    public var fileName: String?
    /// What feeds name as their generator.
    public var generator = "pmcms"
    /// wxr: the WordPress post type questions become (`--post-type`); articles are posts.
    public var questionPostType = "post"
    public var postTypeGiven = false

    public init(format: ExportFormat) {
        self.format = format
    }

    /// Every option given that does not apply to the format, as an error.
    public func problems() -> [ExportError] {
        var problems: [ExportError] = []
        if withHistory && format != .json && format != .ndjson {
            problems.append(.unsupportedOption(format: format, option: "--with-history"))
        }
        if format != .csv {
            if bom { problems.append(.unsupportedOption(format: format, option: "--bom")) }
            if columnsGiven { problems.append(.unsupportedOption(format: format, option: "--columns")) }
            if raw { problems.append(.unsupportedOption(format: format, option: "--raw")) }
        }
        if postTypeGiven {
            if format != .wxr { problems.append(.unsupportedOption(format: format, option: "--post-type")) }
            if !Self.isWordPressPostType(questionPostType) { problems.append(.badPostType(questionPostType)) }
        }
        if format == .hugo, since != nil {
            // The tree mirrors every exported entry; a partial export would remove the rest.
            problems.append(.unsupportedOption(format: format, option: "--since"))
        }
        if format == .faqJSONLD && kind == .article {
            problems.append(.unsupportedOption(format: format, option: "--kind article"))
        }
        return problems
    }

    /// WordPress's rule for a post type's name: 1 to 20 lower-case letters, digits, `-` or `_`.
    static func isWordPressPostType(_ name: String) -> Bool {
        (1...20).contains(name.utf8.count)
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95 }
    }
}
