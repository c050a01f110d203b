import Foundation
import Hummingbird
import HummingbirdCore
import PMCMS

/// What every form posts besides its own fields: the anti-forgery token of this server and the
/// revision the person was looking at, so that a change made meanwhile is never overwritten.
struct ActionForm: Decodable, Sendable {
    var csrf: String
    var rev: Int
    var message: String?
    /// revert: the revision to go back to.
    var number: Int?
}

/// The edit form: the front-matter fields and the Markdown body, as typed.
struct EditForm: Decodable, Sendable {
    var csrf: String
    var rev: Int
    var title: String
    var summary: String?
    var image_url: String?
    var source_url: String?
    var edited_at: String?
    var body: String?
    /// The related questions and the article cards: one slug, id or URL a line, as `pmcms
    /// edit`'s front matter lists them. A form without the field leaves those links alone.
    var related: String?
    var articles: String?
    var message: String?

    /// The refs typed in a links field, a line each, blank lines skipped; nil when the form
    /// has no such field.
    static func refs(_ text: String?) -> [String]? {
        text.map { text in
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    /// The typed text applied to `content`: empty optional fields are cleared, the body keeps
    /// the browser's line breaks as the store's (`\n`).
    func apply(to content: inout Content) {
        func optional(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        content.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        content.summary = optional(summary)
        content.imageURL = optional(image_url)
        content.sourceURL = optional(source_url)
        content.editedAt = optional(edited_at)
        content.body = (body ?? "").replacingOccurrences(of: "\r\n", with: "\n")
    }
}

/// The login form. Its token is checked against the login page's own cookie.
struct LoginForm: Decodable, Sendable {
    var csrf: String
    var name: String
    var password: String
}

/// The admin's forms: add an account (name, role, password), remove one (name), set a setting (value).
struct AccountForm: Decodable, Sendable {
    var csrf: String
    var name: String?
    var role: String?
    var password: String?
    var value: String?
}

/// The admin's settings form, keyed by setting (`value[site.title]=…`): what each input holds,
/// what the page showed when loaded (`seen[…]`), and the settings ticked to be cleared (`clear[…]`).
struct SettingsForm: Decodable, Sendable {
    var csrf: String
    var value: [String: String]?
    var seen: [String: String]?
    var clear: [String: String]?

    /// What to write: the settings ticked to clear or emptied (nil), and those whose text was
    /// changed from what the page showed; a field left as it was is not written, so that a
    /// change made meanwhile (by `pmcms config`) is not undone.
    var changes: [(key: SettingKey, value: String?)] {
        SettingKey.allCases.compactMap { key in
            let typed = value?[key.rawValue] ?? ""
            let shown = seen?[key.rawValue] ?? ""
            if clear?[key.rawValue] != nil { return (key, nil) }
            guard typed != shown else { return nil }
            return (key, typed.isEmpty ? nil : typed)
        }
    }
}

/// Why a posted form was not applied.
enum FormError: Error {
    case forged
    case tooLarge
    case unreadable
}

extension ReviewDesk {
    /// The largest form accepted: an entry's body is a few kilobytes; a megabyte is generous.
    static let maxFormSize = 1 << 20

    /// Reads and decodes a urlencoded form, refusing one without the session's token
    /// (`expected`) or from another origin.
    func decodeForm<Form: Decodable>(_ type: Form.Type, _ request: Request, csrf keyPath: KeyPath<Form, String>, expected: String) async throws -> Form {
        if let origin = request.headers[.origin], !Self.sameOrigin(origin, host: request.head.authority) {
            throw FormError.forged
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxFormSize)
        } catch {
            throw FormError.tooLarge
        }
        let text = String(buffer: buffer)
        let form: Form
        do {
            form = try URLEncodedFormDecoder().decode(Form.self, from: text)
        } catch {
            throw FormError.unreadable
        }
        guard sameSecret(form[keyPath: keyPath], expected) else { throw FormError.forged }
        return form
    }

    /// Whether an `Origin` header names the host the request was sent to.
    static func sameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority == host
    }
}

extension URI {
    /// The query's parameters as a form sent them with GET (`application/x-www-form-urlencoded`,
    /// HTML's rule): a `+` is a space. Hummingbird's `queryParameters` decodes `%20` but keeps
    /// `+`, so "manager project" typed in the search box was searched as "manager+project". A
    /// typed plus comes as `%2B`, and stays a plus.
    var formParameters: Parameters {
        guard let query, query.contains("+") else { return queryParameters }
        return URI("?" + query.replacingOccurrences(of: "+", with: "%20")).queryParameters
    }
}
