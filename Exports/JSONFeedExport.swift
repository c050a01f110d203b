import Foundation
import PMCMS

/// `export jsonfeed`: JSON Feed 1.1 with the same items as the RSS feed.
struct JSONFeedExportWriter: EntryWriter {
    var stream: JSONObjectStream
    let site: Site
    let selfURL: String

    mutating func begin() throws {
        try stream.begin()
        try stream.member("version", "https://jsonfeed.org/version/1.1")
        try stream.member("title", site.title ?? "")
        try stream.member("home_page_url", site.page(""))
        try stream.member("feed_url", selfURL)
        if let description = site.description { try stream.member("description", description) }
        if let language = site.language { try stream.member("language", language) }
        try stream.beginArray("items")
    }

    mutating func write(_ entry: StreamedEntry) throws {
        try stream.element(Item(FeedItem(entry.view, site: site)))
    }

    mutating func end() throws {
        try stream.endArray()
        try stream.end()
    }

    /// One item; absent values are left out, as JSON Feed expects.
    struct Item: Encodable {
        let item: FeedItem

        init(_ item: FeedItem) { self.item = item }

        enum CodingKeys: String, CodingKey {
            case id, url, title, summary, image, tags
            case contentHTML = "content_html"
            case contentText = "content_text"
            case datePublished = "date_published"
            case dateModified = "date_modified"
        }

        func encode(to encoder: any Encoder) throws {
            let c = item.entry.content
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(item.guid, forKey: .id)
            try container.encode(item.link, forKey: .url)
            try container.encode(c.title, forKey: .title)
            // JSON Feed wants content_html or content_text in every item.
            if let html = item.html {
                try container.encode(html, forKey: .contentHTML)
            } else {
                try container.encode(c.summary ?? "", forKey: .contentText)
            }
            try container.encodeIfPresent(c.summary, forKey: .summary)
            if let image = c.imageURL, URLCheck.isAbsoluteWebURL(image) { try container.encode(image, forKey: .image) }
            if let published = item.published { try container.encode(FeedDate.rfc3339(published), forKey: .datePublished) }
            if let known = item.knownDate { try container.encode(FeedDate.rfc3339(known), forKey: .dateModified) }
            try container.encode([item.entry.kind.rawValue], forKey: .tags)
        }
    }
}
