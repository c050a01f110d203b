public import Foundation  // Date in the public API

/// How serious an editorial finding is; only errors fail the editorial report.
public enum Severity: String, Sendable, Codable, Comparable {
    case error, warning, info

    public static func < (a: Severity, b: Severity) -> Bool {
        let order: [Severity] = [.error, .warning, .info]
        return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
    }
}

/// One editorial check that the editorial report runs.
public enum CheckKind: String, Sendable, Codable, CaseIterable {
    case conflict = "import-conflict"
    case unresolvedLink = "unresolved-link"
    case emptyAnswer = "empty-answer"
    case duplicate = "duplicate-question"
    case stale = "stale"
    case incompleteArticle = "incomplete-article"
    case brokenBodyLink = "broken-body-link"
    case overdueSchedule = "overdue-schedule"

    public var severity: Severity {
        switch self {
        case .conflict: .error
        case .unresolvedLink, .emptyAnswer, .duplicate, .brokenBodyLink, .overdueSchedule: .warning
        case .stale, .incompleteArticle: .info
        }
    }
}

/// One finding: which check, which entry (or link target), and what is wrong, in a sentence
/// that names no face; `detail` holds the values a face builds its own next step from.
public struct Finding: Sendable, Encodable, Equatable {
    public var check: CheckKind
    public var severity: Severity
    public var slug: String?
    public var message: String
    public var detail: FindingDetail?

    /// The report's JSON keys; `detail` is for the faces' own wording, not part of the shape.
    enum CodingKeys: String, CodingKey { case check, severity, slug, message }
}

/// The values behind the findings that call for a next step.
public enum FindingDetail: Sendable, Equatable {
    /// A schedule due at `at` that nothing carried out: `what` is "publish" or "expire".
    case overdueSchedule(what: String, at: String)
    /// An import newer than the head: revision `upstream` (from the page) beside `head`.
    case importConflict(head: Int, upstream: Int)
}

/// Options for the editorial report.
public struct CheckOptions: Sendable {
    public var staleDays: Int
    public var now: Date

    public init(staleDays: Int = 365, now: Date = Date()) {
        self.staleDays = staleDays
        self.now = now
    }
}

extension ContentStore {
    /// The editorial report: import conflicts, unresolved links, empty answers, duplicate
    /// questions, stale entries, incomplete articles and body links to missing entries.
    public func editorialReport(_ options: CheckOptions = CheckOptions()) throws -> [Finding] {
        try read { db in
            var findings: [Finding] = []
            func add(_ check: CheckKind, _ slug: String?, _ message: String, _ detail: FindingDetail? = nil) {
                findings.append(Finding(check: check, severity: check.severity, slug: slug, message: message, detail: detail))
            }

            // A schedule more than 15 minutes late: nothing runs `publishDue`.
            for overdue in try Self.overdueSchedules(db, now: options.now) {
                let action = overdue.what == "publish" ? "to be published" : "to leave the site"
                add(.overdueSchedule, overdue.slug, "was due \(action) at \(overdue.at) and still is not",
                    .overdueSchedule(what: overdue.what, at: overdue.at))
            }

            // An upstream revision newer than the head: nobody has edited since the page changed.
            for row in try db.fetchAll("""
                SELECT e.slug, e.head, MAX(r.number) AS upstream FROM entry e
                JOIN revision r ON r.entry_id = e.id AND r.upstream = 1 AND r.number > e.head
                GROUP BY e.id ORDER BY e.slug
                """) {
                let slug: String = try row["slug"]
                let head: Int = try row["head"]
                let upstream: Int = try row["upstream"]
                add(.conflict, slug, "the page changed after an edit: r\(upstream) (from the page) is unmerged beside r\(head)",
                    .importConflict(head: head, upstream: upstream))
            }

            // Related links whose target is not in the store, grouped by target.
            // SQLite sorts NULL first; PostgreSQL is told to.
            let unresolved = try db.fetchAll("""
                SELECT l.url, l.slug AS target, l.title, e.slug AS source FROM link l
                JOIN entry e ON e.id = l.entry_id
                WHERE NOT EXISTS (SELECT 1 FROM entry t WHERE t.import_key = l.url OR t.slug = l.slug)
                ORDER BY l.url\(literal: .either(sqlite: "", postgres: " NULLS FIRST")), e.slug
                """)
            var sources: [String: (title: String, pages: [String])] = [:]
            var order: [String] = []
            for row in unresolved {
                let target: String = try row["url"] ?? row["target"] ?? ""
                if sources[target] == nil { order.append(target); sources[target] = (try row["title"], []) }
                sources[target]?.pages.append(try row["source"])
            }
            for target in order {
                guard let info = sources[target] else { continue }
                let pages = Array(Set(info.pages)).sorted()
                let shown = pages.prefix(3).joined(separator: ", ") + (pages.count > 3 ? " and \(pages.count - 3) more" : "")
                add(.unresolvedLink, nil, "\"\(info.title)\" (\(target)) is not imported; linked from \(Plural.count(pages.count, "page")): \(shown)")
            }

            let current = try db.fetchAll("""
                SELECT e.slug, e.kind, r.title, r.body, r.summary, r.image_url, r.edited_at
                FROM entry e JOIN revision r ON r.entry_id = e.id AND r.number = e.head
                WHERE r.status <> 'archived' ORDER BY e.id
                """)
            var byTitle: [String: [String]] = [:]
            var titleOrder: [String] = []
            let knownURLs = Set(try db.fetchValues("SELECT import_key FROM entry WHERE import_key IS NOT NULL") as [String])
            let knownSlugs = Set(try db.fetchValues("SELECT slug FROM entry") as [String])
            let siteURL: String? = try db.fetchValue("SELECT value FROM setting WHERE key = 'site.url'")
            let staleBefore = options.now.addingTimeInterval(-Double(options.staleDays) * 86_400)
            for row in current {
                let slug: String = try row["slug"]
                let kind: String = try row["kind"]
                let body: String = try row["body"]
                if kind == Kind.question.rawValue {
                    // Stops at the first visible character (Foundation's trimming copied every
                    // body through NSString: a third of `check` on a large store).
                    if body.unicodeScalars.allSatisfy(\.properties.isWhitespace) { add(.emptyAnswer, slug, "the question has no answer") }
                    let key = Self.normalizedTitle(try row["title"])
                    if byTitle[key] == nil { titleOrder.append(key) }
                    byTitle[key, default: []].append(slug)
                } else {
                    let missing = [("summary", try row["summary"] as String?), ("image", try row["image_url"] as String?)]
                        .filter { ($0.1 ?? "").isEmpty }.map(\.0)
                    if !missing.isEmpty { add(.incompleteArticle, slug, "the article has no \(missing.joined(separator: " and "))") }
                }
                if let edited: String = try row["edited_at"], let date = Timestamp.parse(edited), date < staleBefore {
                    add(.stale, slug, "last edited \(Timestamp.day(edited)), more than \(options.staleDays) days ago")
                }
                for url in Self.markdownLinks(body) where Self.pointsIntoSite(url, siteURL: siteURL) {
                    let absolute = Self.absolute(url, siteURL: siteURL)
                    let lastComponent = URL(string: absolute)?.deletingPathExtension().lastPathComponent ?? ""
                    if !knownURLs.contains(absolute) && !knownSlugs.contains(lastComponent) {
                        add(.brokenBodyLink, slug, "the body links to \(url), which is not an entry")
                    }
                }
            }
            for key in titleOrder {
                guard let slugs = byTitle[key], slugs.count > 1 else { continue }
                add(.duplicate, slugs[0], "the same question as \(slugs.dropFirst().joined(separator: ", "))")
            }
            return findings.sorted { ($0.severity, $0.check.rawValue) < ($1.severity, $1.check.rawValue) }
        }
    }

    /// Titles compared for duplicates: case, accents and punctuation ignored.
    static func normalizedTitle(_ title: String) -> String {
        Slug.make(title, maxLength: 500)
    }

    static func markdownLinks(_ body: String) -> [String] {
        guard body.utf8.contains(UInt8(ascii: "]"), followedBy: UInt8(ascii: "(")) else { return [] }
        let pattern = #/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/#
        return body.matches(of: pattern).map { String($0.output.1) }
    }

    static func pointsIntoSite(_ url: String, siteURL: String?) -> Bool {
        if url.hasPrefix("/") && !url.hasPrefix("//") { return true }
        guard let siteURL, let site = URL(string: siteURL)?.host, let host = URL(string: url)?.host else { return false }
        return host.lowercased() == site.lowercased()
    }

    static func absolute(_ url: String, siteURL: String?) -> String {
        guard url.hasPrefix("/"), let siteURL, let base = URL(string: siteURL) else { return url }
        return URL(string: url, relativeTo: base)?.absoluteString ?? url
    }
}
