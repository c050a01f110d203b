import Foundation
import PMCMS

/// What every feed says of an entry: its link, a guid that survives new revisions, its dates
/// and its HTML, worked out once so that RSS, Atom, JSON Feed and the sitemap agree.
struct FeedItem {
    let entry: EntryView
    /// The entry's `source_url` when it is absolute, else `site.url` + "/" + slug.
    let link: String
    /// `site.url` + "/" + slug: the slug never changes, so neither does the guid.
    let guid: String
    /// When the reader-facing text last changed: `edited_at`, else `published_at`, else `updated_at`
    /// (Atom requires a date on every entry).
    let edited: Date
    /// `edited_at`, the one date known of the content itself; an undated imported page has
    /// none, and its import time is not passed off as its date (RSS and JSON Feed leave it out).
    let knownDate: Date?
    let published: Date?
    /// The body as HTML, or nil when the body is blank. Rendered when asked for: not every
    /// writer prints it. Feeds are read away from the site, so links resolve against the
    /// entry's page (and a link the store emptied shows as its text).
    var html: String? {
        entry.content.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : Markdown.html(entry.content.body, baseURL: guid)
    }

    init(_ entry: EntryView, site: Site) {
        self.entry = entry
        let c = entry.content
        guid = site.page(entry.slug)
        if let source = c.sourceURL, URLCheck.isAbsoluteWebURL(source) {
            link = source
        } else {
            link = guid
        }
        let edited = [c.editedAt, c.publishedAt, entry.header.updatedAt].lazy.compactMap { $0.flatMap(Timestamp.parse) }.first
            ?? Date(timeIntervalSince1970: 0)
        self.edited = edited
        knownDate = c.editedAt.flatMap(Timestamp.parse)
        // pmcms's publish time can be later than the page's own edit date (a page imported
        // long after it went live): a publication date after the last edit would contradict
        // it, and without a known date it is only the time of the import.
        published = knownDate.flatMap { known in c.publishedAt.flatMap(Timestamp.parse).flatMap { $0 <= known ? $0 : nil } }
    }

    /// The link when it is a page of the site, else the site's page for the entry: a sitemap
    /// may list only URLs of its own site.
    func siteLink(_ site: Site) -> String {
        link.hasPrefix(site.base + "/") ? link : guid
    }

    /// Whether the guid is the item's link, which RSS calls a permalink.
    var guidIsPermaLink: Bool { guid == link }
}

/// Date formats the feeds need.
enum FeedDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 822 as RSS wants it, with a four-digit year and a numeric zone:
    /// `Tue, 09 Jun 2026 00:00:00 +0000`. English names whatever the locale.
    static func rfc822(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let day = days[Int(parts.tm_wday) % 7]
        let month = months[Int(parts.tm_mon) % 12]
        let clock = String(format: "%02d:%02d:%02d", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return "\(day), \(String(format: "%02d", Int(parts.tm_mday))) \(month) \(String(format: "%04d", Int(parts.tm_year) + 1900)) \(clock) +0000"
    }

    /// RFC 3339 in UTC, as Atom, JSON Feed and sitemaps want it.
    static func rfc3339(_ date: Date) -> String { Timestamp.format(date) }
}
