@testable import Exports
import Foundation
import PMCMS
import Testing

@Suite("RSS, Atom and sitemap parse as XML with every required element")
struct XMLFeedTests {
    static let rfc822 = #"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}$"#
    static let rfc3339 = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$"#

    func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }

    @Test func rssChannelAndItems() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let xml = try ParsedXML(
            try Fixture.export(Fixture.options(.rss), from: store, in: folder), namespaces: ["atom": "http://www.w3.org/2005/Atom"])

        #expect(xml.string("/rss/@version") == "2.0")
        #expect(xml.string("/rss/channel/title") == "PM Training FAQ & Cards")
        #expect(xml.string("/rss/channel/link") == "https://www.example.org/")
        #expect(xml.string("/rss/channel/description") == "Answers to project-management questions <for everyone>")
        #expect(xml.string("/rss/channel/language") == "en")
        #expect(matches(xml.string("/rss/channel/lastBuildDate") ?? "", Self.rfc822))
        #expect(xml.string("/rss/channel/generator") == "pmcms")
        #expect(xml.string("/rss/channel/atom:link[@rel='self']/@href") == "https://www.example.org/feed.xml")
        #expect(xml.string("/rss/channel/atom:link[@rel='self']/@type") == "application/rss+xml")

        // Six published entries; the draft-only entry and the unpublished draft text are absent.
        let titles = xml.strings("/rss/channel/item/title")
        #expect(titles.count == 6)
        #expect(!titles.contains("Draft question, not live"))
        #expect(!xml.strings("/rss/channel/item/description").contains { $0.contains("A DRAFT answer") })
        for element in ["title", "link", "guid", "category"] {
            #expect(xml.count("/rss/channel/item[\(element)]") == 6, "every item has <\(element)>")
        }
        // The undated question (no edited_at) comes last, without the time of its publication
        // in pmcms passed off as its date.
        #expect(xml.count("/rss/channel/item[pubDate]") == 5)
        #expect(titles.last == "Unanswered question?")
        #expect(xml.count("/rss/channel/item[title='Unanswered question?'][pubDate]") == 0)

        let dates = xml.strings("/rss/channel/item/pubDate")
        #expect(dates.allSatisfy { matches($0, Self.rfc822) }, "\(dates)")
        let parsed = dates.compactMap(Self.parseRFC822)
        #expect(parsed.count == dates.count)
        #expect(parsed == parsed.sorted(by: >), "newest first")

        // guid: site.url/slug; a permalink exactly when it is the item's link.
        let links = xml.strings("/rss/channel/item/link")
        let guids = xml.strings("/rss/channel/item/guid")
        let permalinks = xml.strings("/rss/channel/item/guid/@isPermaLink")
        for index in links.indices {
            #expect(permalinks[index] == (guids[index] == links[index] ? "true" : "false"))
            #expect(guids[index].hasPrefix("https://www.example.org/") && !guids[index].hasPrefix("https://www.example.org//"))
        }
        #expect(links.contains("https://www.example.org/faq/is-pmo-more-senior-than-project-manager"), "an absolute source_url is the link")
        let hostileLink = xml.string("/rss/channel/item[starts-with(title, '<script>')]/link")
        #expect(hostileLink == "https://www.example.org/script-alert-1-script-quotes-commas-e-u", "a relative source_url gives site.url/slug")
        #expect(Set(xml.strings("/rss/channel/item/category")) == ["question", "article"])

        // The description is the body's HTML, as text: no script survives in it.
        let description = xml.string("/rss/channel/item[starts-with(title, '<script>')]/description") ?? ""
        #expect(description.contains("<p>Line one, with &quot;quotes&quot;"))
        #expect(!description.lowercased().contains("<script"))
        #expect(!description.contains("javascript:"))
    }

    @Test func rssHonoursFeedLimitWithTheNewestItems() throws {
        var settings = Fixture.defaultSettings
        settings[.feedLimit] = "2"
        let (store, folder) = try Fixture.makeStore(settings: settings)
        defer { try? FileManager.default.removeItem(at: folder) }
        let xml = try ParsedXML(try Fixture.export(Fixture.options(.rss), from: store, in: folder))
        #expect(xml.strings("/rss/channel/item/title") == ["What does a PMO do?", Fixture.hostileTitle])
    }

    @Test func atomFeed() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let xml = try ParsedXML(
            try Fixture.export(Fixture.options(.atom), from: store, in: folder), namespaces: ["a": "http://www.w3.org/2005/Atom"])
        #expect(xml.string("/a:feed/a:title") == "PM Training FAQ & Cards")
        #expect(xml.string("/a:feed/a:id") == "https://www.example.org/")
        #expect(matches(xml.string("/a:feed/a:updated") ?? "", Self.rfc3339))
        #expect(xml.string("/a:feed/a:author/a:name") == "PM Training FAQ & Cards")
        #expect(xml.string("/a:feed/a:link[@rel='self']/@href") == "https://www.example.org/atom.xml")
        #expect(xml.count("/a:feed/a:entry") == 6)
        for element in ["a:id", "a:title", "a:updated", "a:link[@rel='alternate']", "a:category"] {
            #expect(xml.count("/a:feed/a:entry[\(element)]") == 6, "every entry has \(element)")
        }
        let updated = xml.strings("/a:feed/a:entry/a:updated")
        #expect(updated.allSatisfy { matches($0, Self.rfc3339) })
        // Dated entries newest first; the undated one last (Atom requires a date: its update time).
        #expect(Array(updated.dropLast()) == updated.dropLast().sorted(by: >), "newest first")
        #expect(xml.strings("/a:feed/a:entry/a:title").last == "Unanswered question?")
        #expect(Set(xml.strings("/a:feed/a:entry/a:id")).count == 6, "ids are unique")
        // The fixture's entries were all published in pmcms after their edit date (or, the
        // undated one, have no date of their own), so none has a <published>:
        // `atomPublishedDates` checks entries that have one.
        #expect(Self.publishedAfterUpdated(xml).isEmpty, "no entry is published after its last update")
        let content = xml.strings("/a:feed/a:entry/a:content[@type='html']")
        #expect(!content.isEmpty && content.allSatisfy { !$0.lowercased().contains("<script") })
    }

    @Test func atomPublishedDates() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Published in pmcms (at the fixture's now, 2026-11-29), edited later: a real publication date.
        try store.createEntry(
            kind: .question, content: Content(status: .published, title: "Edited after publication?", body: "Yes.", editedAt: "2027-01-01"),
            author: "fixture")
        let xml = try ParsedXML(
            try Fixture.export(Fixture.options(.atom), from: store, in: folder), namespaces: ["a": "http://www.w3.org/2005/Atom"])
        #expect(xml.count("/a:feed/a:entry/a:published") == 1, "the entry edited after publication has its publication date")
        #expect(Self.publishedAfterUpdated(xml).isEmpty, "no entry is published after its last update")
        #expect(xml.count("/a:feed/a:entry[a:title='Unanswered question?']/a:published") == 0, "an undated entry has no publication date of its import")
    }

    /// The ids of Atom entries whose `published` is later than their `updated`. The dates are
    /// compared as instants in Swift: XPath 1.0's `>` reads RFC 3339 text as NaN and never holds.
    static func publishedAfterUpdated(_ xml: ParsedXML) -> [String] {
        let parser = ISO8601DateFormatter()
        return (1...max(1, xml.count("/a:feed/a:entry"))).compactMap { index in
            let entry = "/a:feed/a:entry[\(index)]"
            guard let published = xml.string("\(entry)/a:published").flatMap(parser.date(from:)),
                  let updated = xml.string("\(entry)/a:updated").flatMap(parser.date(from:)),
                  published > updated else { return nil }
            return xml.string("\(entry)/a:id") ?? entry
        }
    }

    /// The test of the test: an entry published after its update is found.
    @Test func publishedAfterUpdatedIsCaught() throws {
        let feed = """
            <feed xmlns="http://www.w3.org/2005/Atom">
            <entry><id>ok</id><published>2026-01-01T00:00:00Z</published><updated>2026-01-02T00:00:00Z</updated></entry>
            <entry><id>late</id><published>2026-01-03T10:00:00+02:00</published><updated>2026-01-03T07:59:59Z</updated></entry>
            </feed>
            """
        let xml = try ParsedXML(Data(feed.utf8), namespaces: ["a": "http://www.w3.org/2005/Atom"])
        #expect(Self.publishedAfterUpdated(xml) == ["late"])
    }

    /// The test of the test: an XPath typo fails the test instead of matching nothing.
    @Test func badXPathFails() throws {
        let xml = try ParsedXML(Data("<a><b/></a>".utf8))
        withKnownIssue { _ = xml.count("/a/b[") }
        withKnownIssue { _ = xml.count("/undeclared:a") }
        withKnownIssue { _ = xml.strings("count(/a/b)") }
        #expect(xml.count("/a/b") == 1)
    }

    @Test func sitemap() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let xml = try ParsedXML(
            try Fixture.export(Fixture.options(.sitemap), from: store, in: folder),
            namespaces: ["s": "http://www.sitemaps.org/schemas/sitemap/0.9"])
        let locs = xml.strings("/s:urlset/s:url/s:loc")
        #expect(locs.count == 6)
        #expect(locs.allSatisfy { $0.hasPrefix("https://www.example.org/") }, "a sitemap lists only its own site: \(locs)")
        #expect(xml.count("/s:urlset/s:url[s:lastmod]") == 6)
        let lastmods = xml.strings("/s:urlset/s:url/s:lastmod")
        #expect(lastmods.allSatisfy { matches($0, #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#) || matches($0, Self.rfc3339) }, "\(lastmods)")
    }

    @Test func theXMLCheckRejectsBrokenXML() {
        #expect(throws: ParsedXML.NotWellFormed.self) { try ParsedXML(Data("<rss><channel></rss>".utf8)) }
        #expect(throws: ParsedXML.NotWellFormed.self) { try ParsedXML(Data("<a>\u{0B}</a>".utf8)) }
    }

    @Test func rfc822DatesHaveAFourDigitYearAndANumericZone() throws {
        let date = try #require(Timestamp.parse("2026-06-09T07:05:03Z"))
        #expect(FeedDate.rfc822(date) == "Tue, 09 Jun 2026 07:05:03 +0000")
        let leapDay = try #require(Timestamp.parse("2028-02-29"))
        #expect(FeedDate.rfc822(leapDay) == "Tue, 29 Feb 2028 00:00:00 +0000")
    }

    static func parseRFC822(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.date(from: text)
    }
}
