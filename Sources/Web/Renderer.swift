import Foundation
import Mustache

/// The templates compiled into the binary, rendered with Mustache's escaping: every value a
/// page prints is HTML-escaped unless the template asks otherwise (`{{{…}}}`, used only for
/// the page body that a template rendered and for cmark-gfm's safe-mode HTML).
struct Renderer: Sendable {
    let library: MustacheLibrary

    /// Why the templates could not be loaded: a build problem, never a user's.
    struct TemplateError: Error, CustomStringConvertible {
        var name: String
        var description: String { "the page template '\(name)' could not be rendered" }
    }

    init() throws {
        var library = MustacheLibrary()
        let templates: [(String, [UInt8])] = [
            ("layout", PackageResources.layout_mustache), ("queue", PackageResources.queue_mustache),
            ("entries", PackageResources.entries_mustache), ("entry", PackageResources.entry_mustache),
            ("entry_top", PackageResources.entry_top_mustache), ("entry_rest", PackageResources.entry_rest_mustache),
            ("diff", PackageResources.diff_mustache), ("message", PackageResources.message_mustache),
            ("link", PackageResources.link_mustache), ("edit", PackageResources.edit_mustache),
            ("changed", PackageResources.changed_mustache), ("login", PackageResources.login_mustache),
            ("accounts", PackageResources.accounts_mustache), ("settings", PackageResources.settings_mustache),
        ]
        MustacheContentTypes.register(HTMLEscaping(), named: HTMLEscaping.name)
        for (name, bytes) in templates {
            // Every template (and so every partial it includes) escapes with `HTMLEscaping`.
            let text = "{{% CONTENT_TYPE: \(HTMLEscaping.name) }}" + String(decoding: bytes, as: UTF8.self)
            library.register(try MustacheTemplate(string: text), named: name)
        }
        self.library = library
    }

    /// The templates are constants of the binary: parsed once per process, for the pages and
    /// the error pages alike.
    static let shared = Result { try Renderer() }

    /// The stylesheet, served at `/assets/site.css`.
    static let stylesheet = String(decoding: PackageResources.site_css, as: UTF8.self)

    /// A template alone, for a piece of a page (the diff inside the edit form's conflict notice).
    func fragment(_ template: String, _ object: Any) throws -> String {
        guard let html = library.render(object, withTemplate: template) else { throw TemplateError(name: template) }
        return html
    }

    /// A whole page: `template` rendered with `object`, inside the layout.
    /// With a `viewer`, the top bar says who is logged in and has the log-out button.
    func page(_ template: String, _ object: Any, title: String, section: Section, query: String? = nil, viewer: Viewer? = nil) throws -> String {
        guard let body = library.render(object, withTemplate: template) else { throw TemplateError(name: template) }
        return try page(body: body, title: title, section: section, query: query, viewer: viewer)
    }

    /// A whole page around a `body` a template rendered (kept, for a page that is the same for
    /// everyone), inside the layout.
    func page(body: String, title: String, section: Section, query: String? = nil, viewer: Viewer? = nil) throws -> String {
        let layout = Layout(
            title: title, body: body, query: query ?? "", onQueue: section == .queue, onEntries: section == .entries,
            onAccounts: section == .accounts, onSettings: section == .settings, signedOut: section == .login,
            viewer: viewer.map { LayoutViewer(name: $0.name, role: $0.role.rawValue, csrf: $0.csrf, isAdmin: $0.may(.manageAccounts)) })
        guard let html = library.render(layout, withTemplate: "layout") else { throw TemplateError(name: "layout") }
        return html
    }

    /// Which top-bar item a page belongs to.
    /// `login`: the login form, whose top bar offers no pages (they all lead back to it).
    enum Section { case queue, entries, accounts, settings, login, other }

    struct Layout {
        var title: String
        var body: String
        var query: String
        var onQueue: Bool
        var onEntries: Bool
        var onAccounts: Bool
        var onSettings: Bool
        var signedOut: Bool
        var viewer: LayoutViewer?
    }

    /// Who is logged in, for the top bar.
    struct LayoutViewer {
        var name: String
        var role: String
        var csrf: String
        var isAdmin: Bool
    }
}

/// How the templates escape every value they print: `&`, `<`, `>`, `"` and `'` become
/// entities, byte by byte of the UTF-8 text, through Mustache's content-type hook.
///
/// Mustache's own HTML escaping looks the text up a *character* (grapheme cluster) at a time, so
/// a quote followed by a combining mark (`"` U+0301) is one character that is not in its table,
/// and the quote went out as it was: in an attribute value, the end of the attribute
/// (`HTMLEscapingTests`). Those five are ASCII, and in UTF-8 an ASCII byte is never part of
/// another character, so replacing bytes escapes every one of them. It is also several times
/// faster: escaping was a sixth of the CPU of rendering an entry page.
struct HTMLEscaping: MustacheContentType {
    /// The name templates select it by (`{{% CONTENT_TYPE: … }}`).
    static let name = "PMCMSHTML"

    func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { Self.entity($0) != nil }) else { return text }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(utf8.count + 32)
        for byte in utf8 {
            if let entity = Self.entity(byte) { escaped.append(contentsOf: entity.utf8) } else { escaped.append(byte) }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    static func entity(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        default: nil
        }
    }
}
