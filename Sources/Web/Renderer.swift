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
        for (name, bytes) in templates {
            library.register(try MustacheTemplate(string: String(decoding: bytes, as: UTF8.self)), named: name)
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
