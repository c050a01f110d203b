import Foundation

/// The site settings kept in the store, with the rule each value must follow.
public enum SettingKey: String, Sendable, CaseIterable {
    case siteTitle = "site.title"
    case siteURL = "site.url"
    case siteDescription = "site.description"
    case siteLanguage = "site.language"
    case feedLimit = "feed.limit"
    case feedURL = "feed.url"
    case reviewSelfApprove = "review.self_approve"

    /// Whether the setting describes the site, for exports (the others are the team's rules).
    public var isSiteSetting: Bool { rawValue.hasPrefix("site.") || rawValue.hasPrefix("feed.") }

    /// What the setting is for, for listings of the settings.
    public var help: String {
        switch self {
        case .siteTitle: "the site's name, the title of feeds"
        case .siteURL: "the site's absolute URL; entry links are built on it"
        case .siteDescription: "one sentence describing the site, for feeds"
        case .siteLanguage: "the language of the content, e.g. en or en-GB"
        case .feedLimit: "how many items feeds hold (default 50)"
        case .feedURL: "where the feed is published, for its self link (default: site.url + the feed's file name)"
        case .reviewSelfApprove: "true lets a reviewer approve a change they wrote (default false: another reviewer must)"
        }
    }

    /// Why `value` is not acceptable for this key, or nil.
    public func problem(with value: String) -> String? {
        if let problem = TextCheck.controlProblem(value) { return problem }
        switch self {
        case .siteTitle, .siteDescription:
            return value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "cannot be empty" : nil
        case .siteURL, .feedURL:
            return URLCheck.isAbsoluteWebURL(URLCheck.encoded(value)) ? nil : "'\(value)' is not an absolute http(s) URL"
        case .siteLanguage:
            let ok = value.range(of: #"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"#, options: .regularExpression) != nil
            return ok ? nil : "'\(value)' is not a language tag such as en or en-GB"
        case .reviewSelfApprove:
            return ["true", "false"].contains(value) ? nil : "'\(value)' is not true or false"
        case .feedLimit:
            guard let n = Int(value), n >= 1, n <= 10_000 else { return "'\(value)' is not a whole number from 1 to 10000" }
            return nil
        }
    }
}

extension ContentStore {
    /// The value of one setting, or nil when unset.
    public func setting(_ key: SettingKey) throws -> String? {
        try read { db in try db.fetchValue("SELECT value FROM setting WHERE key = \(key.rawValue)") }
    }

    /// Every setting that is set, by key.
    public func settings() throws -> [SettingKey: String] {
        try read { db in
            var result: [SettingKey: String] = [:]
            for row in try db.fetchAll("SELECT key, value FROM setting") {
                if let key = SettingKey(rawValue: try row["key"]) { result[key] = try row["value"] }
            }
            return result
        }
    }

    /// Sets one setting after checking its value; nil removes it.
    public func setSetting(_ key: SettingKey, _ value: String?) throws {
        try setSettings([(key, value)])
    }

    /// Sets several settings in one transaction after checking every value (nil removes one):
    /// all are written, or, when one value is refused, none.
    public func setSettings(_ changes: [(key: SettingKey, value: String?)]) throws {
        for (key, value) in changes {
            if let value, let problem = key.problem(with: value) {
                throw StoreError.invalidField(name: key.rawValue, reason: problem)
            }
        }
        try write { db in
            for (key, value) in changes {
                // Quotes and markup in the site's URL are stored percent-encoded, as in entries.
                let value = key == .siteURL ? value.map(URLCheck.encoded) : value
                if let value {
                    try db.execute(
                        "INSERT INTO setting (key, value) VALUES (\(key.rawValue), \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                } else {
                    try db.execute("DELETE FROM setting WHERE key = \(key.rawValue)")
                }
            }
        }
    }
}
