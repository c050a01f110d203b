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
                             revisions: try store.revisions("1"))
        // Each value is checked as its table type: a type without a table does not compile here,
        // and Mustache finds it as a `MustacheParent`, which is what skips the reflection.
        #expect((page.related.first ?? EntryPage.Link(title: "t", slug: nil, url: "https://example.com/")) as Any is any MustacheParent)
        check(page)
        check(EntryPage.Link(title: "t", slug: nil, url: "https://example.com/"))
        check(EntryPage.Link(title: "t", slug: "s", url: nil))
        for field in page.fields { check(field) }
        for row in page.history { check(row) }
        let actions = EntryPage.actions(from: .inReview) { _ in true }
        #expect(!actions.isEmpty)
        for action in actions { check(action) }
        check(EntryFrame(top: "t", rest: "r", slug: "s", revision: 2, csrf: "c", canEdit: true, actions: actions))
        let queue = QueuePage(try store.reviewQueue(), scheduled: try store.list(ListQuery(sort: .id)))
        check(queue)
        for item in queue.items { check(item) }
        for item in queue.scheduled { check(item) }
        check(Renderer.Layout(title: "t", body: "b", query: "", onQueue: true, onEntries: false, onAccounts: false, onSettings: false, signedOut: false,
                              viewer: Renderer.LayoutViewer(name: "n", role: "r", csrf: "c", isAdmin: false)))
        check(Renderer.LayoutViewer(name: "n", role: "r", csrf: "c", isAdmin: true))
    }

    @Test("the entries list, search results and the diff page are read by table, and the tables are complete")
    func listAndDiffTablesAreComplete() throws {
        let (store, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let option = Option(value: "v", label: "l", selected: true)
        let parts = SnippetPart.parts("a \(SearchHit.markOpen)b\(SearchHit.markClose) c")
        let rows = [
            EntriesPage.Row(slug: "s", title: "t", kind: "question", status: "draft", statusLabel: "draft", date: "d",
                            snippet: EntriesPage.Snippet(parts: parts)),
            EntriesPage.Row(slug: "s", title: "t", kind: "question", status: "draft", statusLabel: "draft", date: "d", snippet: nil),
        ]
        for matches in [nil, "3 matches"] {
            check(EntriesPage(heading: "h", query: matches == nil ? nil : "q", kinds: [option], statuses: [option], sorts: [option],
                              rows: rows, dateHeading: "Updated", page: 2, previous: "/p", next: nil, matches: matches))
        }
        for row in rows { check(row) }
        check(EntriesPage.Snippet(parts: parts))
        for part in parts { check(part) }
        check(option)
        let pair = try store.revisionPair("1", from: .number(4), to: .latest)
        let diff = EntryDiff(entryID: pair.header.id, slug: pair.header.slug, from: pair.old, to: pair.new, old: pair.oldContent, new: pair.newContent)
        var page = DiffPage(diff: diff, title: pair.newContent.title, head: pair.header.head, csrf: "token")
        page.links = [DiffPage.LinkRow(field: "related", kind: "added", title: "t", detail: nil),
                      DiffPage.LinkRow(field: "related", kind: "moved", title: "t", detail: "position 1 → 2")]
        page.fields.append(DiffPage.Field(name: "summary", old: nil, new: [DiffPage.Piece(text: "new", hl: true)]))
        #expect(!page.hunks.isEmpty && !page.fields.isEmpty)
        check(page)
        for field in page.fields { check(field) }
        for link in page.links { check(link) }
        for hunk in page.hunks {
            check(hunk)
            for row in hunk.rows {
                check(row)
                for piece in row.old + row.new { check(piece) }
            }
        }
    }

    @Test("a field that holds nothing is absent, and Mustache does not look for it in the page around it")
    func absentFieldsDoNotClimb() throws {
        let (store, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        var page = EntryPage(latest: try store.entry("1"), live: nil, revisions: try store.revisions("1"))
        page.related = [EntryPage.Link(title: "Not here yet", slug: nil, url: "https://example.com/faq/later"),
                        EntryPage.Link(title: "Here", slug: "a-draft-card", url: nil)]
        page.hasRelated = true
        let html = try Renderer.shared.get().fragment("entry_rest", page)
        #expect(html.contains(#"<li><span class="unresolved" title="not in the store yet">Not here yet</span> <a class="external" href="https://example.com/faq/later" rel="noopener noreferrer">source</a>"#))
        #expect(html.contains(#"<li><a href="/entries/a-draft-card">Here</a>"#))
        #expect(!html.contains(#"href="/entries/\#(page.slug)">"#), "no link of the page to itself")
    }
}
