import Foundation
import PMCMS

/// `export sitemap`: a sitemaps.org `urlset` with each page of the site once and when it last
/// changed. Questions of one FAQ page link to that page's fragments (`…/faq#kanban`); a sitemap
/// lists pages, so the fragment is dropped and the page is listed once, with the newest
/// `lastmod` of its entries. Pages are kept until the end for that (one URL and date each).
struct SitemapExportWriter: EntryWriter {
    let xml: XMLWriter
    let site: Site
    private var pages: [String] = []
    private var lastmods: [String: (date: Date, text: String)] = [:]

    init(xml: XMLWriter, site: Site) {
        self.xml = xml
        self.site = site
    }

    mutating func begin() throws {
        try xml.startDocument()
        try xml.start("urlset")
        try xml.attribute("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
        try xml.drain()
    }

    mutating func write(_ entry: StreamedEntry) throws {
        let item = FeedItem(entry.view, site: site)
        let page = Self.withoutFragment(item.siteLink(site))
        let lastmod = Self.lastmod(entry.view, item: item)
        let date = Timestamp.parse(lastmod) ?? item.edited
        if let seen = lastmods[page] {
            if date > seen.date { lastmods[page] = (date, lastmod) }
        } else {
            pages.append(page)
            lastmods[page] = (date, lastmod)
        }
    }

    mutating func end() throws {
        for page in pages {
            try xml.start("url")
            try xml.element("loc", page)
            if let lastmod = lastmods[page] { try xml.element("lastmod", lastmod.text) }
            try xml.end()
            try xml.drain()
        }
        try xml.end()
        try xml.endDocument()
    }

    static func withoutFragment(_ url: String) -> String {
        url.firstIndex(of: "#").map { String(url[..<$0]) } ?? url
    }

    /// A date alone stays a date (W3C Datetime allows it); a timestamp is written in UTC.
    static func lastmod(_ entry: EntryView, item: FeedItem) -> String {
        if let edited = entry.content.editedAt, edited.count == 10, Timestamp.isValid(edited) { return edited }
        return FeedDate.rfc3339(item.edited)
    }
}
