import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PMCMS
import Testing
@testable import Web

/// The admin's settings page: every setting set and cleared in the browser by the rules of
/// `pmcms config`, refusals that keep what was typed, and no one else let in.
@Suite struct SettingsTests {
    typealias A = AccountTests

    /// The settings form's fields as a browser posts them: each setting's input and the value
    /// the page showed (`current`), with `typed` replacing some inputs and `clear` ticking boxes.
    static func fields(current: [SettingKey: String], typed: [SettingKey: String] = [:], clear: [SettingKey] = []) -> [String: String] {
        var fields: [String: String] = [:]
        for key in SettingKey.allCases {
            fields["seen[\(key.rawValue)]"] = current[key] ?? ""
            fields["value[\(key.rawValue)]"] = typed[key] ?? current[key] ?? ""
        }
        for key in clear { fields["clear[\(key.rawValue)]"] = "1" }
        return fields
    }

    /// The store as another process (`pmcms config`) sees it: a connection of its own.
    static func reopened(_ store: ContentStore) throws -> ContentStore {
        try ContentStore(path: store.path, access: .write)
    }

    @Test func adminSetsAndClearsSettingsAndTheStoreHasThem() async throws {
        try await A().withDesk { desk, client in
            try desk.store.setSetting(.siteTitle, "Old title")
            try desk.store.setSetting(.feedLimit, "20")
            let ada = try await A.logIn(client, "ada")
            let (status, html) = try await A.get(client, "/settings", ada)
            #expect(status == .ok)
            for key in SettingKey.allCases {
                #expect(html.contains(#"name="value[\#(key.rawValue)]""#), "an input for \(key.rawValue)")
                #expect(html.contains(key.help.replacingOccurrences(of: "'", with: "&#39;")), "the description of \(key.rawValue)")
            }
            #expect(html.contains(#"value="Old title""#))
            #expect(html.contains(#"href="/settings" aria-current="page""#), "the top bar leads here")

            // Set two, clear one by its box, leave the rest as they were.
            let current = try desk.store.settings()
            let typed: [SettingKey: String] = [.siteURL: "https://pm.example/", .siteLanguage: "en-GB"]
            let saved = try await A.post(client, "/settings", ada, Self.fields(current: current, typed: typed, clear: [.feedLimit]))
            #expect(saved.0 == .seeOther)
            let other = try Self.reopened(desk.store)
            #expect(try other.setting(.siteURL) == "https://pm.example/")
            #expect(try other.setting(.siteLanguage) == "en-GB")
            #expect(try other.setting(.feedLimit) == nil, "cleared")
            #expect(try other.setting(.siteTitle) == "Old title", "left as it was")

            // Emptying a field clears it too; the page then says it is not set.
            let emptied = try await A.post(client, "/settings", ada, Self.fields(current: try desk.store.settings(), typed: [.siteTitle: ""]))
            #expect(emptied.0 == .seeOther)
            #expect(try Self.reopened(desk.store).setting(.siteTitle) == nil)
            let after = try await A.get(client, "/settings?saved=1", ada).1
            #expect(after.contains("Saved.") && after.contains(#"value="https://pm.example/""#))
            #expect(after.contains("Now: not set.</p>") && after.contains("Now: <strong>https://pm.example/</strong></p>"),
                    "one full stop after what is not set, none added after a value (which may end with its own)")
        }
    }

    @Test func aRefusedValueComesBackWithTheReasonAndEveryTypedValueAndNothingIsSaved() async throws {
        try await A().withDesk { desk, client in
            let ada = try await A.logIn(client, "ada")
            let typed: [SettingKey: String] = [
                .feedLimit: "abc", .siteURL: "javascript:x", .siteTitle: "A <b>new</b> title", .siteDescription: "Kept & typed",
            ]
            let (status, html) = try await A.post(client, "/settings", ada, Self.fields(current: [:], typed: typed))
            #expect(status == .unprocessableContent)
            #expect(html.contains(SettingKey.feedLimit.problem(with: "abc")!.replacingOccurrences(of: "'", with: "&#39;")))
            #expect(html.contains(SettingKey.siteURL.problem(with: "javascript:x")!.replacingOccurrences(of: "'", with: "&#39;")))
            #expect(html.contains(#"value="abc""#) && html.contains(#"value="javascript:x""#))
            #expect(html.contains(#"value="A &lt;b&gt;new&lt;/b&gt; title""#), "typed text kept, escaped")
            #expect(html.contains(#"value="Kept &amp; typed""#))
            #expect(!html.contains("<b>new</b>"))
            #expect(try Self.reopened(desk.store).settings().isEmpty, "one refused value: nothing written")
        }
    }

    @Test func onlyAnAdminMaySeeOrChangeSettings() async throws {
        try await A().withDesk { desk, client in
            for name in ["wendy", "sam", "paul"] {
                let session = try await A.logIn(client, name)
                #expect(try await A.get(client, "/settings", session).0 == .forbidden, "\(name) GET")
                #expect(!(try await A.get(client, "/", session).1.contains(#"href="/settings""#)), "no Settings link for \(name)")
                let post = try await A.post(client, "/settings", session, Self.fields(current: [:], typed: [.siteTitle: "Taken over"]))
                #expect(post.0 == .forbidden, "\(name) POST")
            }
            #expect(try desk.store.setting(.siteTitle) == nil)
        }
    }

    @Test func aPostWithoutTheFormTokenOrFromAnotherOriginIsRefused() async throws {
        try await A().withDesk { desk, client in
            let ada = try await A.logIn(client, "ada")
            var fields = Self.fields(current: [:], typed: [.siteTitle: "Forged"])
            fields["csrf"] = ""
            #expect(try await A.post(client, "/settings", ada, fields).0 == .forbidden)
            // No token field at all: the form is not read.
            let absent = try await client.execute(
                uri: "/settings", method: .post, headers: [.cookie: ada.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ReviewDeskActionTests.form(Self.fields(current: [:], typed: [.siteTitle: "Forged"]))
            ) { $0.status }
            #expect(absent == .badRequest)
            let status = try await client.execute(
                uri: "/settings", method: .post,
                headers: [.cookie: ada.cookie, .contentType: "application/x-www-form-urlencoded", .origin: "https://evil.example"],
                body: ReviewDeskActionTests.form(Self.fields(current: [:], typed: [.siteTitle: "Forged"]).merging(["csrf": ada.csrf]) { $1 })
            ) { $0.status }
            #expect(status == .forbidden)
            #expect(try desk.store.setting(.siteTitle) == nil)
        }
    }

    @Test func theLoginPageOffersNoPagesThatLeadBackToIt() async throws {
        try await A().withDesk { _, client in
            let html = try await client.execute(uri: "/login", method: .get) { String(buffer: $0.body) }
            #expect(html.contains(#"action="/login""#))
            #expect(!html.contains("Review queue") && !html.contains(#"href="/entries""#) && !html.contains(#"role="search""#))
            let ada = try await A.logIn(client, "ada")
            let queue = try await A.get(client, "/", ada).1
            #expect(queue.contains("Review queue") && queue.contains(#"href="/entries""#) && queue.contains(#"role="search""#))
        }
    }
}
