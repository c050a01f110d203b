import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PMCMS
import Testing
@testable import Web

/// The search page: a page of ranked hits at a time, with links to the next and previous pages
/// and a count of the matches that stops at a cap.
@Suite struct SearchPageTests {
    /// The slugs of the entries a page of results links to, in order.
    static func slugs(_ html: String, prefix: String) -> [String] {
        html.components(separatedBy: #"<a href="/entries/"#).dropFirst().compactMap { piece in
            let slug = String(piece.prefix { $0 != "\"" })
            return slug.hasPrefix(prefix) ? slug : nil
        }
    }

    @Test func searchResultsComeAPageAtATimeWithHowManyMatch() async throws {
        let (store, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let total = ReviewDesk.pageSize + 5
        for i in 1...total {
            try store.createEntry(
                kind: .question, content: Content(title: "Paging \(i)?", body: "A zebra answer, number \(i)."), author: "sam")
        }
        let desk = try ReviewDesk(store: store, options: .init(token: ReviewDeskTests.token, author: "reviewer"))
        try await desk.application().test(.router) { client in
            let session = try await ReviewDeskTests.logIn(client)
            let headers: HTTPFields = [.cookie: session.cookie]
            let first = try await client.execute(uri: "/entries?q=zebra", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(first.contains("\(total) matches"))
            #expect(first.contains(#"<a rel="next" href="/entries?q=zebra&amp;page=2">"#))
            #expect(!first.contains(#"rel="prev""#))
            let second = try await client.execute(uri: "/entries?q=zebra&page=2", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(second.contains(#"<a rel="prev" href="/entries?q=zebra&amp;page=1">"#))
            #expect(!second.contains(#"rel="next""#))
            let onFirst = Self.slugs(first, prefix: "paging-"), onSecond = Self.slugs(second, prefix: "paging-")
            #expect(onFirst.count == ReviewDesk.pageSize)
            #expect(onSecond.count == 5)
            #expect(Set(onFirst + onSecond).count == total, "every match once, over the two pages")
            // The filters stay with the pages.
            let filtered = try await client.execute(uri: "/entries?q=zebra&kind=question&status=draft", method: .get, headers: headers) { response in
                String(buffer: response.body)
            }
            #expect(filtered.contains(#"href="/entries?q=zebra&amp;kind=question&amp;status=draft&amp;page=2""#))
        }
    }

    /// The search box is a GET form: the browser sends "manager project" as `q=manager+project`,
    /// and a typed plus as `%2B`. The page searches, and shows in its box, what was typed.
    @Test func aSearchFromTheFormReadsPlusAsASpace() async throws {
        let (store, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        try store.createEntry(kind: .question, content: Content(title: "Who is a project manager?", body: "Someone."), author: "sam")
        try store.createEntry(kind: .question, content: Content(title: "What is C++?", body: "A language."), author: "sam")
        let desk = try ReviewDesk(store: store, options: .init(token: ReviewDeskTests.token, author: "reviewer"))
        try await desk.application().test(.router) { client in
            let session = try await ReviewDeskTests.logIn(client)
            let words = try await AccountTests.get(client, "/entries?q=manager+project", session).1
            #expect(words.contains("who-is-a-project-manager"))
            #expect(words == (try await AccountTests.get(client, "/entries?q=manager%20project", session).1), "the same search as with %20")
            #expect(words.contains(#"value="manager project""#))
            #expect(!words.contains("manager+project"))
            let plus = try await AccountTests.get(client, "/entries?q=%22C%2B%2B%22", session).1
            #expect(plus.contains(#"value="&quot;C++&quot;""#))
        }
    }

    @Test func theMatchCountSaysMoreThanPastItsCap() {
        #expect(ReviewDesk.matchesLabel(count: 1, more: false) == "1 match")
        #expect(ReviewDesk.matchesLabel(count: 0, more: false) == "0 matches")
        #expect(ReviewDesk.matchesLabel(count: 999, more: false) == "999 matches")
        #expect(ReviewDesk.matchesLabel(count: 1_000, more: true) == "more than 1,000 matches")
        #expect(ReviewDesk.matchesLabel(count: 1_234_567, more: false) == "1,234,567 matches")
    }

    @Test func aKeptRankingGivesWayToAWriteThroughAnotherConnection() async throws {
        let (writer, directory) = try ReviewDeskTests.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        for i in 1...3 {
            try writer.createEntry(kind: .question, content: Content(title: "Zebra \(i)?", body: "About a zebra."), author: "sam")
        }
        let served = try ContentStore(path: writer.path, access: .write, readPool: true)
        let desk = try ReviewDesk(store: served, options: .init(token: ReviewDeskTests.token, author: "operator"))
        try await desk.application().test(.router) { client in
            let session = try await ReviewDeskTests.logIn(client)
            func search() async throws -> String {
                try await AccountTests.get(client, "/entries?q=zebra", session).1
            }
            let first = try await search()
            #expect(first.contains("3 matches"))
            #expect(try await search() == first)
            #expect(desk.searchRankings.computed == 1, "the second search used the kept ranking")
            // Another connection adds a match and retitles one: the next search shows both.
            try writer.createEntry(kind: .question, content: Content(title: "Zebra crossing?", body: "Stripes."), author: "kim")
            try writer.edit("zebra-2", author: "kim") { $0.title = "Horses with stripes?" }
            let after = try await search()
            #expect(after.contains("4 matches"))
            #expect(after.contains(#"href="/entries/zebra-crossing""#))
            #expect(after.contains("Horses with stripes?"))
            #expect(desk.searchRankings.computed == 2)
        }
    }
}
