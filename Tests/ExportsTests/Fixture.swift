import Exports
import Foundation
@testable import PMCMS
import TestBackends

/// A fixed store for the export tests: the same entries, dates and settings on every run, with
/// content chosen to break naive writers (markup, quotes, commas, line breaks, formula
/// prefixes, CDATA terminators, control characters, accents and emoji).
enum Fixture {
    static let now = "2026-11-29T10:00:00Z"

    /// Pins `Timestamp.now()` before any store is made. A static is initialised once, under a
    /// lock, so concurrent tests cannot race on `setenv`.
    static let pinnedClock: Bool = {
        setenv("PMCMS_NOW", now, 1)
        return true
    }()

    static let hostileTitle = #"<script>alert(1)</script> "Quotes", commas & ]]> é ü 😀?"#
    static let hostileBody = """
        Line one, with "quotes", commas & ampersands.
        Line two: é ü ñ 😀 — and a ]]> terminator.

        <script>alert(1)</script>

        <img src=x onerror="alert(2)"> [click](javascript:alert(3))

        A vertical tab \u{0B} and a bell \u{07} that XML cannot hold.
        """
    /// `hostileBody` as the store keeps it: raw HTML escaped, the script link without its
    /// destination (stored Markdown is safe for any renderer).
    static let hostileBodyStored = """
        Line one, with "quotes", commas & ampersands.
        Line two: é ü ñ 😀 — and a ]]> terminator.

        &lt;script>alert(1)&lt;/script>

        &lt;img src=x onerror="alert(2)"> [click](<>)

        A vertical tab \u{0B} and a bell \u{07} that XML cannot hold.
        """
    static let formulaTitle = "=cmd|' /C calc'!A0"

    /// Makes the fixture store in a new temporary folder and returns it: a file there, or a new
    /// PostgreSQL database with `PMCMS_TEST_BACKEND=postgres` (dropped when the tests end).
    static func makeStore(settings: [SettingKey: String] = defaultSettings) throws -> (ContentStore, URL) {
        _ = pinnedClock
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-exports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try TestBackend.makeStore(in: folder)
        for (key, value) in settings { try store.setSetting(key, value) }
        try fill(store)
        return (store, folder)
    }

    static let defaultSettings: [SettingKey: String] = [
        .siteTitle: "PM Training FAQ & Cards",
        .siteURL: "https://www.example.org/",
        .siteDescription: "Answers to project-management questions <for everyone>",
        .siteLanguage: "en",
    ]

    static func fill(_ store: ContentStore) throws {
        let article = try store.createEntry(
            kind: .article,
            content: Content(
                status: .published, title: "Project portfolio management tools", body: "",
                summary: "Explore the features of PPM tools, the leading ones compared.",
                imageURL: "https://www.example.org/img/ppm.png",
                sourceURL: "https://www.example.org/articles/ppm-tools", editedAt: "2026-05-01"),
            author: "fixture", origin: .import)
        try store.createEntry(
            kind: .question,
            content: Content(
                status: .published, title: "Is PMO more senior than project manager?",
                body: "A project manager typically focuses on **one project**.\n\nA PMO oversees *many*:\n\n- standards\n- reporting",
                sourceURL: "https://www.example.org/faq/is-pmo-more-senior-than-project-manager", editedAt: "2026-06-09",
                related: [
                    LinkRef(title: "Am I qualified to be a project manager?", url: "https://www.example.org/faq/am-i-qualified"),
                ],
                articles: [LinkRef(title: "Project portfolio management tools", url: "https://www.example.org/articles/ppm-tools", slug: article.slug)]),
            author: "fixture", origin: .import)
        // Written past `Content.validate`, which now refuses the body's control characters: a
        // store from before that rule (or written by another tool) may hold them, and every
        // export must still cope.
        _ = try store.write { db in
            try ContentStore.insertEntry(
                db, kind: .question,
                content: Content(status: .published, title: hostileTitle, body: hostileBody, sourceURL: "/faq/hostile", editedAt: "2026-07-01T08:30:00Z"),
                author: "fixture", origin: .import, message: nil, importKey: nil, now: Timestamp.now())
        }
        try store.createEntry(
            kind: .article,
            content: Content(
                status: .published, title: formulaTitle, body: "-1 is negative, +1 is not.",
                summary: "@SUM(A1:A9) and -2+3", sourceURL: "https://other.example.net/formula", editedAt: "2026-03-15"),
            author: "fixture", origin: .import)
        // Published, then edited: the live revision stays what the site shows; --all shows the draft.
        let edited = try store.createEntry(
            kind: .question,
            content: Content(status: .published, title: "What does a PMO do?", body: "The published answer.", editedAt: "2026-08-20"),
            author: "fixture", origin: .import)
        try store.edit(edited.slug, author: "sam", message: "reword") { content in
            content.body = "A DRAFT answer that is not live yet."
            content.editedAt = "2026-09-01"
        }
        // Never published: only --all sees it.
        try store.createEntry(
            kind: .question, content: Content(status: .draft, title: "Draft question, not live", body: "Work in progress.", editedAt: "2026-10-10"),
            author: "sam")
        // A published question without an answer yet, nor an edit date.
        try store.createEntry(
            kind: .question, content: Content(status: .published, title: "Unanswered question?", body: ""),
            author: "fixture", origin: .import)
    }

    /// Runs one export into a temporary file (the way `--out` does) and returns its bytes.
    static func export(_ options: ExportOptions, from store: ContentStore, in folder: URL) throws -> Data {
        let path = folder.appendingPathComponent("out-\(UUID().uuidString)").path
        try AtomicFile.write(to: path) { sink in _ = try Exporter.export(options, from: store, to: sink) }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func options(_ format: ExportFormat, _ change: (inout ExportOptions) -> Void = { _ in }) -> ExportOptions {
        var options = ExportOptions(format: format)
        change(&options)
        return options
    }
}
