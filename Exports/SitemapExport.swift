import Foundation
import PMCMS

/// `export sitemap`: a sitemaps.org `urlset` with each entry's page and when it last changed.
struct SitemapExportWriter: EntryWriter {
    let xml: XMLWriter
    let site: Site

    mutating func begin() throws {
        try xml.startDocument()
        try xml.start("urlset")
        try xml.attribute("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
        try xml.drain()
    }

    mutating func write(_ entry: StreamedEntry) throws {
        let item = FeedItem(entry.view, site: site)
        try xml.start("url")
        try xml.element("loc", item.siteLink(site))
        try xml.element("lastmod", Self.lastmod(entry.view, item: item))
        try xml.end()
        try xml.drain()
    }

    mutating func end() throws {
        try xml.end()
        try xml.endDocument()
    }

    /// A date alone stays a date (W3C Datetime allows it); a timestamp is written in UTC.
    static func lastmod(_ entry: EntryView, item: FeedItem) -> String {
        if let edited = entry.content.editedAt, edited.count == 10, Timestamp.isValid(edited) { return edited }
        return FeedDate.rfc3339(item.edited)
    }
}
