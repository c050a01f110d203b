import Foundation
import Mustache
import PMCMS
import Testing
@testable import Web

/// The page values the templates read by table (`TemplateFields`) instead of by reflection: the
/// tables must name every stored property and give the same value reflection would.
@Suite("Template field tables")
struct TemplateFieldsTests {
    /// Every stored property of `value` is in its table, and the table gives what Mustache's
    /// reflection gives (optionals unwrapped).
    func check<T: TemplateFields>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) {
        let labels = Set(Mirror(reflecting: value).children.compactMap(\.label))
        #expect(labels == Set(T.templateFields.keys), "\(T.self)", sourceLocation: sourceLocation)
        for label in labels {
            let table = T.templateFields[label]?(value)
            let reflected = T.reflectedChild(value, named: label)
            #expect(String(describing: table) == String(describing: reflected), "\(T.self).\(label)", sourceLocation: sourceLocation)
        }
    }

    @Test("the entry page, its rows, the queue and the layout are read by table, and the tables are complete")
    func tablesAreComplete() throws {
        let (store, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = EntryPage(latest: try store.entry("1"), live: try store.entry("1", at: .live),
                             revisions: try store.revisions("1"), csrf: "token")
        // Each value is checked as its table type: a type without a table does not compile here,
        // and Mustache finds it as a `MustacheParent`, which is what skips the reflection.
        #expect((page.related.first ?? EntryPage.Link(title: "t", slug: nil, url: "https://example.com/")) as Any is MustacheParent)
        check(page)
        check(EntryPage.Link(title: "t", slug: nil, url: "https://example.com/"))
        check(EntryPage.Link(title: "t", slug: "s", url: nil))
        for field in page.fields { check(field) }
        for row in page.history { check(row) }
        for action in page.actions { check(action) }
        let queue = QueuePage(try store.reviewQueue(), scheduled: try store.list(ListQuery(sort: .id)))
        check(queue)
        for item in queue.items { check(item) }
        for item in queue.scheduled { check(item) }
        check(Renderer.Layout(title: "t", body: "b", query: "", onQueue: true, onEntries: false, onAccounts: false, onSettings: false, signedOut: false,
                              viewer: Renderer.LayoutViewer(name: "n", role: "r", csrf: "c", isAdmin: false)))
        check(Renderer.LayoutViewer(name: "n", role: "r", csrf: "c", isAdmin: true))
    }
}
