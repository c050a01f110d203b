import Foundation
import Testing
import TestBackends
@testable import PMCMS

@Suite("Import into the store")
struct ImportStoreTests {
    static let pageURL = "https://www.example.org/faq/is-pmo-more-senior-than-project-manager"

    static func page(body: String = "A project manager delivers projects.", related: [LinkRef] = []) -> PageImport {
        PageImport(fileKey: "faq/pmo.html", fileHash: SHA256.hex(Array(body.utf8)), entries: [
            IncomingEntry(
                key: pageURL, kind: .question,
                content: Content(title: "Is PMO more senior than project manager?", body: body, sourceURL: pageURL,
                                 editedAt: "2026-06-09", related: related)),
        ])
    }

    func importing(_ store: ContentStore, _ pages: [PageImport], dryRun: Bool = false) throws -> [ImportOutcome] {
        try store.importPages(pages, newStatus: .published, author: "importer", dryRun: dryRun).flatMap(\.outcomes)
    }

    /// One transaction per batch, one page's failure rolled back alone. On PostgreSQL the batch
    /// is first written without savepoints and, when a page fails, written again with them: the
    /// outcome must be the same as on SQLite, whose pages each have their savepoint from the start.
    @Test("a page the store refuses is rolled back alone: the pages before and after it in the batch are kept")
    func aFailingPageIsRolledBackAlone() throws {
        let t = try TestStore()
        func entry(_ key: String, _ title: String) -> IncomingEntry {
            IncomingEntry(key: "https://www.example.org/faq/\(key)", kind: .question, content: Content(title: title, body: "An answer."))
        }
        let pages = [
            PageImport(fileKey: "one.html", fileHash: "1", entries: [entry("one", "First?")]),
            // Its first entry is written before its second is refused: both must go.
            PageImport(fileKey: "two.html", fileHash: "2", entries: [entry("two-a", "Second?"), entry("two-b", "Broken\ntitle?")]),
            // The entry the failed page wrote and lost, and the one the first page wrote: each is
            // seen as it now is (absent; present), not as the batch found them before it began.
            PageImport(fileKey: "three.html", fileHash: "3", entries: [entry("three", "Third?"), entry("two-a", "Second?"), entry("one", "First?")]),
        ]
        let results = try t.store.importPages(pages, newStatus: .published, author: "importer")
        #expect(results.map { $0.error == nil } == [true, false, true])
        #expect(results[0].outcomes == [.created(slug: "first")])
        #expect(results[2].outcomes == [.created(slug: "third"), .created(slug: "second"), .unchanged(slug: "first")])
        #expect(try t.store.list(ListQuery()).map(\.slug).sorted() == ["first", "second", "third"])
        #expect(try t.store.importedFileHashes().keys.sorted() == ["one.html", "three.html"], "the failed page's file is not recorded")
        #expect(try TestBackend.verify(t.store).problems.isEmpty)
    }

    @Test("a new page creates a published entry; the same page again makes no revision")
    func idempotent() throws {
        let t = try TestStore()
        #expect(try importing(t.store, [Self.page()]) == [.created(slug: "is-pmo-more-senior-than-project-manager")])
        let header = try t.store.header("1")
        #expect(header.head == 1 && header.live == 1)
        #expect(try t.store.entry("1").content.status == .published)
        #expect(try t.store.revisions("1")[0].origin == .import)
        #expect(try importing(t.store, [Self.page()]) == [.unchanged(slug: "is-pmo-more-senior-than-project-manager")])
        #expect(try t.store.revisions("1").count == 1)
        #expect(try t.store.importedFileHashes()["faq/pmo.html"] == SHA256.hex(Array("A project manager delivers projects.".utf8)))
    }

    @Test("a changed page makes an import revision when nobody edited the entry")
    func changedPage() throws {
        let t = try TestStore()
        _ = try importing(t.store, [Self.page()])
        try t.store.transition("1", .archive, author: "ed")  // workflow steps are not edits
        try t.store.transition("1", .restore, author: "ed")
        #expect(try importing(t.store, [Self.page(body: "Changed on the site.")]) == [.updated(slug: "is-pmo-more-senior-than-project-manager", revision: 4)])
        #expect(try t.store.entry("1").content.body == "Changed on the site.")
        #expect(try t.store.revisions("1").last?.origin == .import)
    }

    @Test("a changed page after an edit keeps the editor's text and records an unmerged upstream revision")
    func conflict() throws {
        let t = try TestStore()
        _ = try importing(t.store, [Self.page()])
        try t.store.edit("1", author: "kim", message: "better answer") { $0.body = "The editor's answer." }
        let outcome = try importing(t.store, [Self.page(body: "Changed on the site.")])
        #expect(outcome == [.conflict(slug: "is-pmo-more-senior-than-project-manager", upstream: 3)])
        #expect(try t.store.entry("1").content.body == "The editor's answer.")
        #expect(try t.store.header("1").head == 2)
        let upstream = try #require(try t.store.revisions("1").last)
        #expect(upstream.upstream && upstream.number == 3 && upstream.parent == 1 && upstream.origin == .import)
        #expect(try t.store.content("1", revision: 3).body == "Changed on the site.")
        // The same page again adds nothing; a further change is still a conflict.
        #expect(try importing(t.store, [Self.page(body: "Changed on the site.")]) == [.unchanged(slug: "is-pmo-more-senior-than-project-manager")])
        #expect(try importing(t.store, [Self.page(body: "Changed twice.")]) == [.conflict(slug: "is-pmo-more-senior-than-project-manager", upstream: 4)])
        // The editorial report carries the two revisions as values (a face words the next step).
        #expect(try t.store.editorialReport().first { $0.check == .conflict }?.detail == .importConflict(head: 2, upstream: 4))
        #expect(try t.store.entry("1").content.body == "The editor's answer.")
        // The next edit continues from the editor's head.
        #expect(try t.store.edit("1", author: "kim") { $0.body = "Merged by hand." }.revision == 5)
        #expect(try t.store.revisions("1").last?.parent == 2)
    }

    @Test("article cards create articles once and never overwrite them")
    func cards() throws {
        let t = try TestStore()
        let cardURL = "https://www.example.org/articles/managing-small-projects"
        let card = IncomingEntry(key: cardURL, kind: .article,
                                 content: Content(title: "Managing small projects", summary: "Scaling down.", sourceURL: cardURL), isCard: true)
        var page = Self.page()
        page.entries[0].content.articles = [LinkRef(title: "Managing small projects", url: cardURL)]
        page.entries.insert(card, at: 0)
        #expect(try importing(t.store, [page]).count == 2)
        let question = try t.store.entry("is-pmo-more-senior-than-project-manager")
        #expect(question.articles.first?.slug == "managing-small-projects")
        #expect(question.articles.first?.summary == "Scaling down.")
        try t.store.edit("managing-small-projects", author: "kim") { $0.summary = "Edited summary." }
        _ = try importing(t.store, [page])
        #expect(try t.store.entry("managing-small-projects").content.summary == "Edited summary.")
        // The article's own page does update it (it was not edited since... it was: conflict).
        let own = IncomingEntry(key: cardURL, kind: .article, content: Content(title: "Managing small projects", body: "Full text.", summary: "Scaling down.", sourceURL: cardURL))
        #expect(try importing(t.store, [PageImport(entries: [own])]) == [.conflict(slug: "managing-small-projects", upstream: 3)])
    }

    @Test("a link to a page not imported yet resolves when that page arrives")
    func linkResolution() throws {
        let t = try TestStore()
        let otherURL = "https://www.example.org/faq/am-i-qualified-to-be-a-project-manager"
        _ = try importing(t.store, [Self.page(related: [LinkRef(title: "Am I qualified to be a project manager?", url: otherURL)])])
        #expect(try t.store.entry("1").related.first?.slug == nil)
        let other = PageImport(entries: [IncomingEntry(key: otherURL, kind: .question,
                                                       content: Content(title: "Am I qualified to be a project manager?", body: "Maybe.", sourceURL: otherURL))])
        _ = try importing(t.store, [other])
        #expect(try t.store.entry("1").related.first?.slug == "am-i-qualified-to-be-a-project-manager")
    }

    @Test("a dry run reports and writes nothing; a bad page is rolled back alone")
    func dryRunAndBadPage() throws {
        let t = try TestStore()
        #expect(try importing(t.store, [Self.page()], dryRun: true) == [.created(slug: "is-pmo-more-senior-than-project-manager")])
        #expect(try t.store.count() == 0)
        #expect(try t.store.importedFileHashes().isEmpty)
        let bad = PageImport(fileKey: "bad.html", fileHash: "x", entries: [
            IncomingEntry(key: "https://www.example.org/ok", kind: .question, content: Content(title: "Fine?", body: "Yes.")),
            IncomingEntry(key: "https://www.example.org/bad", kind: .article, content: Content(title: "Bad", imageURL: "javascript:alert(1)")),
        ])
        let results = try t.store.importPages([bad, Self.page()], newStatus: .published, author: "importer")
        guard case .refused(.invalidField(let name, _))? = results[0].error else {
            Issue.record("the page is refused by the content model: \(String(describing: results[0].error))")
            return
        }
        #expect(name == "image_url")
        #expect(results[1].outcomes.count == 1)
        #expect(try t.store.list(ListQuery()).map(\.slug) == ["is-pmo-more-senior-than-project-manager"])
        #expect(try t.store.importedFileHashes()["bad.html"] == nil)
    }
}

@Suite("Import: control characters in a page's text")
struct ImportControlCharacterTests {
    @Test("a page's NUL and ESC are dropped from every field; the page is imported whole, not cut")
    func stripped() throws {
        let t = try TestStore()
        let page = PageImport(fileKey: "x.html", fileHash: "h", entries: [
            IncomingEntry(key: "https://www.example.org/x", kind: .question, content: Content(
                title: "Is \u{1B}[31mred here?", body: "Cut \u{0} here\u{07}, and more after.", summary: "A\u{1B}b",
                sourceURL: "https://www.example.org/x",
                related: [LinkRef(title: "Other\u{0}one", url: "https://www.example.org/y")])),
        ])
        _ = try t.store.importPages([page], newStatus: .published, author: "importer")
        let content = try t.store.entry("1").content
        #expect(content.title == "Is [31mred here?")
        #expect(content.body == "Cut  here, and more after.")
        #expect(content.summary == "Ab")
        #expect(content.related.map(\.title) == ["Otherone"])
        #expect(try TestBackend.verify(t.store).ok)
    }
}
