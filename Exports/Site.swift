public import PMCMS  // exports a ContentStore, with its types (Kind, SettingKey, StreamSelection)

/// The site settings as exports use them.
public struct Site: Sendable, Equatable {
    public var title: String?
    public var url: String?
    public var description: String?
    public var language: String?
    public var feedLimit: Int
    /// `feed.url`: the feed's own address, for its self link.
    public var feedURL: String?

    /// How many items a feed holds when `feed.limit` is unset.
    public static let defaultFeedLimit = 50

    public init(settings: [SettingKey: String]) {
        title = settings[.siteTitle]
        url = settings[.siteURL]
        description = settings[.siteDescription]
        language = settings[.siteLanguage]
        feedLimit = settings[.feedLimit].flatMap { Int($0) }.map { max(1, $0) } ?? Self.defaultFeedLimit
        feedURL = settings[.feedURL]
        raw = settings
    }

    /// The settings exactly as stored, for the JSON export's `site` object.
    let raw: [SettingKey: String]

    /// The `site` object of the JSON export: every setting key, `null` when unset (the same
    /// shape as `pmcms config --json`).
    var object: [String: String?] {
        var object: [String: String?] = [:]
        for key in SettingKey.allCases where key.isSiteSetting { object[key.rawValue] = raw[key] }
        return object
    }

    /// Throws naming the `pmcms config` commands to run when `format` needs a setting that is unset.
    func require(for format: ExportFormat) throws {
        let missing = format.requiredSettings.filter { key in
            switch key {
            case .siteTitle: title == nil
            case .siteURL: url == nil
            case .siteDescription: description == nil
            case .siteLanguage: language == nil
            case .feedLimit, .feedURL, .reviewSelfApprove: false
            }
        }
        if !missing.isEmpty { throw ExportError.missingSettings(format: format, keys: missing) }
    }

    /// `site.url` without a trailing slash, so that paths join with exactly one.
    var base: String {
        var base = url ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// The URL of a page of the site: `site.url` + "/" + path.
    func page(_ path: String) -> String { base + "/" + path }
}
