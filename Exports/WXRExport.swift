import Foundation
import PMCMS

/// `export wxr`: WordPress eXtended RSS 1.2, the file WordPress's Tools → Export writes and its
/// importer reads. Each entry becomes a post (questions: the question as the title, the answer
/// as the content), its kind a category, its pmcms id and revision hidden post meta.
///
/// Text goes into CDATA sections as WordPress writes them, so that every one of the importer's
/// parsers (SimpleXML, the expat parser and the regular-expression fallback) reads the same
/// value; a `]]>` inside the text is split across two sections, as WordPress's `wxr_cdata` does.
struct WXRExportWriter: EntryWriter {
    let xml: XMLWriter
    let site: Site
    let generatedAt: Date
    let generator: String
    /// The `wp:post_type` of question entries (articles are always `post`).
    let questionPostType: String

    /// The namespace WordPress declares for WXR 1.2.
    static let wpNamespace = "http://wordpress.org/export/1.2/"

    mutating func begin() throws {
        try xml.startDocument()
        try xml.start("rss")
        try xml.attribute("version", "2.0")
        try xml.attribute("xmlns:excerpt", "http://wordpress.org/export/1.2/excerpt/")
        try xml.attribute("xmlns:content", "http://purl.org/rss/1.0/modules/content/")
        try xml.attribute("xmlns:wfw", "http://wellformedweb.org/CommentAPI/")
        try xml.attribute("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        try xml.attribute("xmlns:wp", Self.wpNamespace)
        try xml.start("channel")
        try xml.element("title", site.title ?? "")
        try xml.element("link", site.base)
        try xml.element("description", site.description ?? site.title ?? "")
        try xml.element("pubDate", FeedDate.rfc822(generatedAt))
        if let language = site.language { try xml.element("language", language) }
        try xml.element("wp:wxr_version", "1.2")
        try xml.element("wp:base_site_url", site.base)
        try xml.element("wp:base_blog_url", site.base)
        // The two kinds are the only categories; declaring them lets WordPress create them
        // before the posts that use them.
        for (index, kind) in Kind.allCases.enumerated() {
            try xml.start("wp:category")
            try xml.element("wp:term_id", String(index + 1))
            try cdataElement("wp:category_nicename", kind.rawValue)
            try cdataElement("wp:category_parent", "")
            try cdataElement("wp:cat_name", Self.categoryName(kind))
            try xml.end()
        }
        try xml.element("generator", generator)
        try xml.drain()
    }

    mutating func write(_ entry: StreamedEntry) throws {
        let view = entry.view
        let c = view.content
        let item = FeedItem(view, site: site)
        let modified = Timestamp.parse(view.header.updatedAt) ?? item.edited
        // A scheduled entry is WordPress's `future` post, dated when it goes live.
        let scheduled = c.status == .approved ? c.schedule.publishAt.flatMap(Timestamp.parse) : nil
        let postDate = scheduled ?? item.edited
        try xml.start("item")
        try cdataElement("title", c.title)
        try xml.element("link", item.link)
        try xml.element("pubDate", FeedDate.rfc822(item.edited))
        try xml.element("guid", item.guid, attributes: ["isPermaLink": "false"])
        try xml.element("description", "")
        try cdataElement("content:encoded", item.html ?? "")
        try cdataElement("excerpt:encoded", c.summary ?? "")
        try xml.element("wp:post_id", String(view.id))
        // The store keeps UTC, so the site's local time and GMT are the same instant here.
        try cdataElement("wp:post_date", Self.wordPressDate(postDate))
        try cdataElement("wp:post_date_gmt", Self.wordPressDate(postDate))
        try cdataElement("wp:post_modified", Self.wordPressDate(modified))
        try cdataElement("wp:post_modified_gmt", Self.wordPressDate(modified))
        try cdataElement("wp:comment_status", "closed")
        try cdataElement("wp:ping_status", "closed")
        try cdataElement("wp:post_name", view.slug)
        try cdataElement("wp:status", scheduled == nil ? Self.wordPressStatus(c.status) : "future")
        try xml.element("wp:post_parent", "0")
        try xml.element("wp:menu_order", "0")
        try cdataElement("wp:post_type", view.kind == .question ? questionPostType : "post")
        try cdataElement("wp:post_password", "")
        try xml.element("wp:is_sticky", "0")
        try xml.start("category")
        try xml.attribute("domain", "category")
        try xml.attribute("nicename", view.kind.rawValue)
        try xml.cdata(Self.categoryName(view.kind))
        try xml.end()
        try postMeta("_pmcms_id", String(view.id))
        try postMeta("_pmcms_revision", String(view.revision))
        if let source = c.sourceURL { try postMeta("_pmcms_source_url", source) }
        if let image = c.imageURL { try postMeta("_pmcms_image_url", image) }
        if let expireAt = c.schedule.expireAt { try postMeta("_pmcms_expire_at", expireAt) }
        try xml.end()
        try xml.drain()
    }

    mutating func end() throws {
        try xml.end()  // channel
        try xml.end()  // rss
        try xml.endDocument()
    }

    private func cdataElement(_ name: String, _ text: String) throws {
        try xml.start(name)
        try xml.cdata(text)
        try xml.end()
    }

    private func postMeta(_ key: String, _ value: String) throws {
        try xml.start("wp:postmeta")
        try cdataElement("wp:meta_key", key)
        try cdataElement("wp:meta_value", value)
        try xml.end()
    }

    /// What WordPress calls the status: a published entry is `publish`; one waiting for or
    /// through review is `pending`; a draft or an archived entry is a `draft`. (An approved
    /// entry with a publication time is `future`, decided in `write`.)
    static func wordPressStatus(_ status: Status) -> String {
        switch status {
        case .published: "publish"
        case .inReview, .approved: "pending"
        case .draft, .archived: "draft"
        }
    }

    static func categoryName(_ kind: Kind) -> String {
        switch kind {
        case .question: "Questions"
        case .article: "Articles"
        }
    }

    /// `YYYY-MM-DD HH:MM:SS`, the MySQL DATETIME form WordPress stores dates in.
    static func wordPressDate(_ date: Date) -> String {
        String(Timestamp.format(date).dropLast().map { $0 == "T" ? " " : $0 })
    }
}
