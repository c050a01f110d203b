import Foundation
import PMCMS

/// `export atom`: an Atom feed (RFC 4287) with the same items as the RSS feed.
struct AtomExportWriter: EntryWriter {
    let xml: XMLWriter
    let site: Site
    let selfURL: String
    let generatedAt: Date
    let generator: String

    mutating func begin() throws {
        try xml.startDocument()
        try xml.start("feed")
        try xml.attribute("xmlns", "http://www.w3.org/2005/Atom")
        if let language = site.language { try xml.attribute("xml:lang", language) }
        try textConstruct("title", site.title ?? "")
        if let description = site.description { try textConstruct("subtitle", description) }
        try xml.empty("link", attributes: ["rel": "alternate", "type": "text/html", "href": site.page("")])
        try xml.empty("link", attributes: ["rel": "self", "type": "application/atom+xml", "href": selfURL])
        try xml.element("id", site.page(""))
        try xml.element("updated", FeedDate.rfc3339(generatedAt))
        // RFC 4287 wants an author for the feed or for every entry: the site speaks for its pages.
        try xml.start("author")
        try xml.element("name", site.title ?? "")
        try xml.element("uri", site.page(""))
        try xml.end()
        try xml.element("generator", generator)
        try xml.drain()
    }

    mutating func write(_ entry: StreamedEntry) throws {
        let item = FeedItem(entry.view, site: site)
        let c = entry.view.content
        try xml.start("entry")
        try textConstruct("title", c.title)
        try xml.empty("link", attributes: ["rel": "alternate", "type": "text/html", "href": item.link])
        try xml.element("id", item.guid)
        try xml.element("updated", FeedDate.rfc3339(item.edited))
        if let published = item.published { try xml.element("published", FeedDate.rfc3339(published)) }
        if let summary = c.summary { try textConstruct("summary", summary) }
        if let html = item.html { try xml.element("content", html, attributes: ["type": "html"]) }
        try xml.empty("category", attributes: ["term": entry.view.kind.rawValue])
        try xml.end()
        try xml.drain()
    }

    /// A text construct: plain text as it is, or, when it holds a `<`, as escaped HTML
    /// (`type="html"`), so that no reader can take text such as `</script>` for markup.
    func textConstruct(_ name: String, _ text: String) throws {
        if text.contains("<") {
            try xml.element(name, XMLWriter.htmlEscaped(text), attributes: ["type": "html"])
        } else {
            try xml.element(name, text)
        }
    }

    mutating func end() throws {
        try xml.end()  // feed
        try xml.endDocument()
    }
}
