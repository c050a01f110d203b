import Exports
import Foundation
import PMCMS
import Testing

@Suite("JSON, NDJSON, JSON Feed and FAQPage exports")
struct JSONExportTests {
    func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("validates against Schema/export.schema.json", arguments: [false, true])
    func jsonValidates(all: Bool) throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Fixture.export(Fixture.options(.json) { $0.selection = all ? .head : .live; $0.withHistory = all }, from: store, in: folder)
        let errors = try Tools.schemaErrors(data, mode: "json")
        #expect(errors == nil, "\(errors ?? "")")
    }

    @Test("every NDJSON line validates as an entry", arguments: [false, true])
    func ndjsonValidates(history: Bool) throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Fixture.export(Fixture.options(.ndjson) { $0.selection = .head; $0.withHistory = history }, from: store, in: folder)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 7)
        let errors = try Tools.schemaErrors(data, mode: "ndjson")
        #expect(errors == nil, "\(errors ?? "")")
    }

    @Test func theSchemaCheckCatchesAMissingKeyAndAWrongType() throws {
        let missing = Data(#"{"generated_at":"2026-11-29T10:00:00Z","site":{},"entries":[]}"#.utf8)
        #expect(try Tools.schemaErrors(missing, mode: "json") != nil)
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        var document = try object(try Fixture.export(Fixture.options(.json), from: store, in: folder))
        var entries = try #require(document["entries"] as? [[String: Any]])
        entries[0].removeValue(forKey: "summary")
        entries[1]["id"] = "2"
        document["entries"] = entries
        let broken = try JSONSerialization.data(withJSONObject: document)
        let errors = try #require(try Tools.schemaErrors(broken, mode: "json"))
        #expect(errors.contains("summary") && errors.contains("integer"))
    }

    @Test func entriesAreExactlyTheEntryObjectAtTheLiveRevision() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try object(try Fixture.export(Fixture.options(.json), from: store, in: folder))
        #expect(document["generated_at"] as? String == Fixture.now)
        let site = try #require(document["site"] as? [String: Any])
        #expect(site["site.title"] as? String == "PM Training FAQ & Cards")
        #expect(site["feed.limit"] is NSNull)
        let entries = try #require(document["entries"] as? [[String: Any]])
        #expect(entries.map { $0["slug"] as? String } == [
            "project-portfolio-management-tools", "is-pmo-more-senior-than-project-manager",
            "script-alert-1-script-quotes-commas-e-u", "cmd-c-calc-a0", "what-does-a-pmo-do", "unanswered-question",
        ])
        for entry in entries {
            let slug = try #require(entry["slug"] as? String)
            let shown = try JSONSerialization.jsonObject(with: Data(try JSONOutput.string(try store.entry(slug, at: .live), pretty: false).utf8))
            #expect(NSDictionary(dictionary: entry).isEqual(shown), "\(slug) equals `show --live --json`")
        }
        let edited = try #require(entries.first { $0["slug"] as? String == "what-does-a-pmo-do" })
        #expect(edited["body"] as? String == "The published answer.")
        #expect(edited["revision"] as? Int == 1 && edited["live_revision"] as? Int == 1)
        let article = try #require(entries.first { $0["slug"] as? String == "is-pmo-more-senior-than-project-manager" })
        let cards = try #require(article["articles"] as? [[String: Any]])
        #expect(cards.first?["summary"] as? String == "Explore the features of PPM tools, the leading ones compared.")
    }

    @Test func allExportsEveryHeadWithHistory() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try object(try Fixture.export(Fixture.options(.json) { $0.selection = .head; $0.withHistory = true }, from: store, in: folder))
        let entries = try #require(document["entries"] as? [[String: Any]])
        #expect(entries.count == 7)
        let edited = try #require(entries.first { $0["slug"] as? String == "what-does-a-pmo-do" })
        #expect(edited["body"] as? String == "A DRAFT answer that is not live yet.")
        #expect(edited["status"] as? String == "draft")
        let revisions = try #require(edited["revisions"] as? [[String: Any]])
        #expect(revisions.map { $0["number"] as? Int } == [1, 2])
        #expect(revisions.map { $0["live"] as? Bool } == [true, false])
        #expect(revisions.last?["author"] as? String == "sam")
    }

    @Test func jsonFeed() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let feed = try object(try Fixture.export(Fixture.options(.jsonfeed), from: store, in: folder))
        #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(feed["title"] as? String == "PM Training FAQ & Cards")
        #expect(feed["home_page_url"] as? String == "https://www.example.org/")
        #expect(feed["feed_url"] as? String == "https://www.example.org/feed.json")
        let items = try #require(feed["items"] as? [[String: Any]])
        #expect(items.count == 6)
        for item in items {
            #expect(item["id"] is String && item["url"] is String && item["title"] is String)
            #expect(item["content_html"] is String || item["content_text"] is String, "JSON Feed needs content")
            // Only the undated question has no date_modified, rather than the time of its import.
            #expect(item["date_modified"] is String || item["title"] as? String == "Unanswered question?")
        }
        #expect(items.last?["title"] as? String == "Unanswered question?")
        let modified = items.compactMap { $0["date_modified"] as? String }
        #expect(modified == modified.sorted(by: >), "newest first")
    }

    @Test func faqPageHoldsTheAnsweredPublishedQuestions() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = try object(try Fixture.export(Fixture.options(.faqJSONLD), from: store, in: folder))
        #expect(page["@context"] as? String == "https://schema.org")
        #expect(page["@type"] as? String == "FAQPage")
        let questions = try #require(page["mainEntity"] as? [[String: Any]])
        #expect(questions.map { $0["name"] as? String } == [
            "Is PMO more senior than project manager?", Fixture.hostileTitle, "What does a PMO do?",
        ])
        for question in questions {
            #expect(question["@type"] as? String == "Question")
            let answer = try #require(question["acceptedAnswer"] as? [String: Any])
            #expect(answer["@type"] as? String == "Answer")
            #expect((answer["text"] as? String)?.isEmpty == false)
        }
        #expect(questions.first?["dateModified"] as? String == "2026-06-09")
    }

    @Test func faqPageRefusesArticles() {
        #expect(Fixture.options(.faqJSONLD) { $0.kind = .article }.problems() == [.unsupportedOption(format: .faqJSONLD, option: "--kind article")])
    }
}
