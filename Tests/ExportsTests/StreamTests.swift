import Exports
import Foundation
import PMCMS
import Testing
import TestBackends

@Suite("Streaming reads: order, filters, index, settings")
struct StreamTests {
    @Test("the newest-N feed query walks an index instead of sorting", .sqliteOnly("SQLite's query plan"), arguments: [StreamSelection.live, .head])
    func feedQueryUsesTheIndex(selection: StreamSelection) throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try store.streamPlan(StreamQuery(selection: selection, order: .newestEdited, limit: 50)).joined(separator: "\n")
        let index = selection == .live ? "entry_by_live_feed_date" : "entry_by_head_feed_date"
        #expect(plan.contains(index), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    }

    /// The trigger-kept sort key must agree with the revisions it copies, through edits,
    /// publishing and unpublishing.
    @Test func feedOrderMatchesTheRevisionsAfterChanges() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try store.edit("unanswered-question", author: "sam") { $0.body = "Now answered."; $0.editedAt = "2026-01-02" }
        for action in [WorkflowAction.submit, .approve, .publish] {
            try store.transition("unanswered-question", action, author: "sam")
        }
        try store.transition("cmd-c-calc-a0", .unpublish, author: "sam", message: "off the site")

        for selection in [StreamSelection.live, .head] {
            var streamed: [String] = []
            try store.stream(StreamQuery(selection: selection, order: .newestEdited)) { streamed.append($0.view.slug) }
            let views = try store.list(ListQuery(sort: .id)).compactMap { entry -> EntryView? in
                selection == .head ? entry : (entry.header.live == nil ? nil : try store.entry(entry.slug, at: .live))
            }
            let expected = views.sorted { a, b in
                let ka = a.content.editedAt ?? a.content.publishedAt, kb = b.content.editedAt ?? b.content.publishedAt
                if ka != kb { return (ka ?? "") > (kb ?? "") }
                return a.id > b.id
            }.map(\.slug)
            #expect(streamed == expected, "\(selection)")
        }
        var live: [String] = []
        try store.stream(StreamQuery(order: .newestEdited, limit: 2)) { live.append($0.view.slug) }
        #expect(live == ["script-alert-1-script-quotes-commas-e-u", "what-does-a-pmo-do"].reversed())
    }

    @Test func kindAndSinceFilter() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        var kinds: [Kind] = []
        try store.stream(StreamQuery(kind: .article)) { kinds.append($0.view.kind) }
        #expect(kinds == [.article, .article])
        #expect(try store.stream(StreamQuery(since: "2026-11-29")) { _ in } == 6)
        #expect(try store.stream(StreamQuery(since: "2026-11-29T10:00:01Z")) { _ in } == 0)
        #expect(try store.stream(StreamQuery(selection: .head, since: "2026-11-30")) { _ in } == 0)
        #expect(throws: StoreError.self) { try store.stream(StreamQuery(since: "yesterday")) { _ in } }
    }

    @Test func feedsWithoutSiteSettingsNameTheConfigCommandsAndWriteNothing() throws {
        let (store, folder) = try Fixture.makeStore(settings: [:])
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in [ExportFormat.rss, .atom, .jsonfeed] {
            let path = folder.appendingPathComponent("feed-\(format.rawValue)").path
            do {
                try AtomicFile.write(to: path) { sink in _ = try Exporter.export(Fixture.options(format), from: store, to: sink) }
                Issue.record("\(format) exported without site settings")
            } catch let error as ExportError {
                #expect(error == .missingSettings(format: format, keys: [.siteTitle, .siteURL]))
                #expect(error.description.contains("pmcms config site.title"))
                #expect(error.description.contains("pmcms config site.url"))
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasSuffix(".tmp") })
        #expect(throws: ExportError.missingSettings(format: .sitemap, keys: [.siteURL])) {
            try Fixture.export(Fixture.options(.sitemap), from: store, in: folder)
        }
        // The data formats need no settings.
        _ = try Fixture.export(Fixture.options(.json), from: store, in: folder)
    }

    @Test func optionsThatDoNotApplyAreRefused() {
        #expect(Fixture.options(.rss) { $0.withHistory = true }.problems() == [.unsupportedOption(format: .rss, option: "--with-history")])
        #expect(Fixture.options(.json) { $0.bom = true; $0.raw = true }.problems().count == 2)
        #expect(Fixture.options(.csv) { $0.bom = true; $0.raw = true; $0.columnsGiven = true }.problems().isEmpty)
        #expect(Fixture.options(.ndjson) { $0.withHistory = true }.problems().isEmpty)
    }

    @Test func aFailedExportLeavesThePreviousFileAlone() throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("export.json").path
        try Data("previous".utf8).write(to: URL(fileURLWithPath: path))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicFile.write(to: path) { sink in
                _ = try Exporter.export(Fixture.options(.json), from: store, to: sink)
                throw Boom()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasSuffix(".tmp") })
    }
}
