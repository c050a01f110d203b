import Foundation
import PMCMS

/// `export rss`: RSS 2.0 with an `atom:link rel="self"`, as the W3C validator recommends.
struct RSSExportWriter: EntryWriter {
    let xml: XMLWriter
    let site: Site
    let selfURL: String
    let generatedAt: Date
    let generator: String

    mutating func begin() throws {
        try xml.startDocument()
        try xml.start("rss")
        try xml.attribute("version", "2.0")
        try xml.attribute("xmlns:atom", "http://www.w3.org/2005/Atom")
        try xml.start("channel")
        try xml.plainText("title", site.title ?? "")
        try xml.element("link", site.url ?? "")
        try xml.plainText("description", site.description ?? site.title ?? "")
        if let language = site.language { try xml.element("language", language) }
        try xml.element("lastBuildDate", FeedDate.rfc822(generatedAt))
        try xml.element("generator", generator)
        try xml.empty("atom:link", attributes: ["href": selfURL, "rel": "self", "type": "application/rss+xml"])
        try xml.drain()
    }

    mutating func write(_ entry: StreamedEntry) throws {
        let item = FeedItem(entry.view, site: site)
        try xml.start("item")
        try xml.plainText("title", entry.view.content.title)
        try xml.element("link", item.link)
        try xml.element("guid", item.guid, attributes: ["isPermaLink": item.guidIsPermaLink ? "true" : "false"])
        if let known = item.knownDate { try xml.element("pubDate", FeedDate.rfc822(known)) }
        // An item's description is HTML to every reader: a plain-text summary is escaped as such.
        if let description = item.html ?? entry.view.content.summary.map(XMLWriter.htmlEscaped) {
            try xml.element("description", description)
        }
        try xml.element("category", entry.view.kind.rawValue)
        try xml.end()
        try xml.drain()
    }

    mutating func end() throws {
        try xml.end()  // channel
        try xml.end()  // rss
        try xml.endDocument()
    }
}
