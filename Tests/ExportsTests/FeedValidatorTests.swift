import Exports
import Foundation
import Imports
import PMCMS
import TestBackends
import Testing

/// The W3C Feed Validator (vendored in `Tests/Fixtures/feedvalidator`) run over the RSS and Atom
/// exports: zero errors and zero warnings, but for the warnings accepted below, each with why.
@Suite("RSS and Atom pass the W3C Feed Validator")
struct FeedValidatorTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Warnings the validator may give on our feeds, and why each is right as it is.
    static let accepted: [ExportFormat: [String: String]] = [
        .rss: [
            // RSS has no way to say "this title is text": one whose words are markup (the
            // fixture's `<script>alert(1)</script>` title) always looks like HTML to the
            // validator. It is written with hexadecimal references, as the RSS Profile asks.
            "ContainsHTML": "a title whose text is markup is still text, written as &#x3C;…",
        ],
        .atom: [
            // RFC 4287 lets an entry with an alternate link go without content; a published
            // question with no answer yet has nothing to say beyond its title.
            "MissingTextualContent": "an unanswered question has no text; its alternate link is there",
            // The validator's heuristic: equal atom:updated values may mean a publisher that
            // never updates them. Entries imported or published in one run really did change
            // at the same instant; giving them distinct times would misreport when they changed.
            "DuplicateUpdated": "entries changed in one run share their instant",
        ],
    ]

    /// One message of the validator: its class (`MissingTitle`, `DuplicateUpdated`, …) and text.
    struct Finding: CustomStringConvertible {
        let isError: Bool
        let kind: String
        let text: String
        var description: String { "\(isError ? "error" : "warning") \(kind): \(text)" }
    }

    struct ValidatorFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Whether `unshare -rn` can take the network away here (it needs user namespaces).
    static let unshareWorks: Bool = (try? Tools.run("/usr/bin/env", ["unshare", "-rn", "true"]).status) == 0

    /// Validates `data` as if it were served at its self link. Throws when the validator cannot
    /// run: a missing html5lib fails the test with the command that installs it, never skips.
    static func validate(_ data: Data, format: ExportFormat) throws -> [Finding] {
        let xml = try ParsedXML(data, namespaces: ["a": "http://www.w3.org/2005/Atom"])
        let url = (format != .atom ? xml.string("/rss/channel/a:link[@rel='self']/@href") : xml.string("/a:feed/a:link[@rel='self']/@href"))
            ?? "https://www.example.org/\(format.defaultFileName)"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-feed-\(UUID().uuidString).xml")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let runner = fixtures.appendingPathComponent("feedvalidator/run.py").path
        let command = ["python3", "-B", runner, file.path, url]
        let output = try Tools.run("/usr/bin/env", unshareWorks ? ["unshare", "-rn"] + command : command)
        if output.status == 3 {
            throw ValidatorFailed(description: "W3C Feed Validator cannot run: \(output.stderr)")
        }
        guard output.status == 0 else {
            throw ValidatorFailed(description: "W3C Feed Validator failed (exit \(output.status)): \(output.stderr)\(output.stdout)")
        }
        return output.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 2).map(String.init)
            return Finding(isError: parts[0] == "error", kind: parts.count > 1 ? parts[1] : "", text: parts.count > 2 ? parts[2] : "")
        }
    }

    /// The findings that are not accepted for `format`.
    static func problems(_ data: Data, format: ExportFormat) throws -> [Finding] {
        try validate(data, format: format).filter { accepted[format]?[$0.kind] == nil }
    }

    /// Fails with the validator's own messages when the feed has unaccepted findings.
    static func expectClean(_ data: Data, format: ExportFormat, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let found = try problems(data, format: format)
        #expect(found.isEmpty, "W3C Feed Validator on \(format): \(found)", sourceLocation: sourceLocation)
    }

    static func export(_ format: ExportFormat, from store: ContentStore, in folder: URL, selection: StreamSelection = .live) throws -> Data {
        try Fixture.export(Fixture.options(format) { $0.selection = selection }, from: store, in: folder)
    }

    /// A store with the fixture settings and the pages at `paths` imported (published, as `import` does).
    static func importedStore(_ paths: [String]) throws -> (ContentStore, URL) {
        _ = Fixture.pinnedClock
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-feeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try TestBackend.makeStore(in: folder, name: "imported.sqlite")
        for (key, value) in Fixture.defaultSettings { try store.setSetting(key, value) }
        if !paths.isEmpty {
            let summary = try ImportRun(store: store, options: ImportOptions(baseURL: "https://www.example.org", author: "import")).run(paths: paths)
            #expect(summary.created > 0, "the import created entries")
        }
        return (store, folder)
    }

    @Test("the hostile fixture store (markup, quotes, ]]>, control characters, emoji), live and head",
          arguments: [ExportFormat.rss, .atom], [StreamSelection.live, .head])
    func hostileFixtureStore(format: ExportFormat, selection: StreamSelection) throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectClean(Self.export(format, from: store, in: folder, selection: selection), format: format)
    }

    @Test("the demo's sample site", arguments: [ExportFormat.rss, .atom])
    func sampleSite(format: ExportFormat) throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: site) }
        for file in SampleSite.files {
            let url = site.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.bytes).write(to: url)
        }
        let (store, folder) = try Self.importedStore([site.path])
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectClean(Self.export(format, from: store, in: folder), format: format)
    }

    @Test("the fixture site and the hostile pages, imported", arguments: [ExportFormat.rss, .atom])
    func importedFixtures(format: ExportFormat) throws {
        let (store, folder) = try Self.importedStore([
            Self.fixtures.appendingPathComponent("site").path, Self.fixtures.appendingPathComponent("hostile").path,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectClean(Self.export(format, from: store, in: folder), format: format)
    }

    @Test("an empty store", arguments: [ExportFormat.rss, .atom])
    func emptyStore(format: ExportFormat) throws {
        let (store, folder) = try Self.importedStore([])
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectClean(Self.export(format, from: store, in: folder), format: format)
    }

    /// A store with schedules around the fixture's "now" (2026-11-29T10:00:00Z): one entry
    /// published by `publish-due` and expiring next month, one that expired at 09:00 without
    /// `publish-due` having run since, one scheduled for December, one published with no schedule.
    static func scheduledStore() throws -> (ContentStore, URL) {
        let (store, folder) = try Self.importedStore([])
        func entry(_ title: String, _ status: Status) throws -> String {
            let header = try store.createEntry(
                kind: .question, content: Content(status: status, title: title, body: "The answer to \(title.lowercased())", editedAt: "2026-11-20"),
                author: "fixture")
            return header.slug
        }
        let due = try entry("Published on schedule?", .approved)
        try store.schedule(due, .publish(at: "2026-11-28T08:00:00Z", expire: "2026-12-31T00:00:00Z"), author: "fixture")
        _ = try store.publishDue(now: "2026-11-28T08:00:00Z", author: "fixture")
        let expired = try entry("Expired at nine?", .published)
        try store.schedule(expired, .expire("2026-11-29T09:00:00Z"), author: "fixture")
        let future = try entry("Scheduled for December?", .approved)
        try store.schedule(future, .publish(at: "2026-12-01T09:00:00Z", expire: nil), author: "fixture")
        _ = try entry("Always published?", .published)
        return (store, folder)
    }

    @Test("a store with scheduled and expired entries: only what is on the site now, and valid",
          arguments: [ExportFormat.rss, .atom], [StreamSelection.live, .head])
    func scheduledAndExpired(format: ExportFormat, selection: StreamSelection) throws {
        let (store, folder) = try Self.scheduledStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let feed = try Self.export(format, from: store, in: folder, selection: selection)
        try Self.expectClean(feed, format: format)
        let text = String(decoding: feed, as: UTF8.self)
        #expect(text.contains("Published on schedule?") && text.contains("Always published?"))
        if selection == .live {
            #expect(!text.contains("Expired at nine?"), "an expired entry is out of the feed before publish-due runs")
            #expect(!text.contains("Scheduled for December?"))
        }
    }

    /// WXR is RSS 2.0 with WordPress's namespaces: zero errors but one, inherent in the format.
    /// Its warnings (the WordPress namespaces are unknown to the validator, no `atom:link
    /// rel="self"`, as WordPress's own exporter writes it) are not the feed's business.
    @Test("the WXR export of the fixture site and the hostile store has no errors")
    func wxr() throws {
        let (imported, folder) = try Self.importedStore([
            Self.fixtures.appendingPathComponent("site").path, Self.fixtures.appendingPathComponent("hostile").path,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (hostile, hostileFolder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: hostileFolder) }
        let (scheduled, scheduledFolder) = try Self.scheduledStore()
        defer { try? FileManager.default.removeItem(at: scheduledFolder) }
        // The scheduled store with --all too: its December entry is a `future` post.
        let runs: [(ContentStore, URL, StreamSelection)] = [
            (imported, folder, .live), (hostile, hostileFolder, .live), (scheduled, scheduledFolder, .live),
            (scheduled, scheduledFolder, .head),
        ]
        for (store, place, selection) in runs {
            let errors = try Self.validate(Self.export(.wxr, from: store, in: place, selection: selection), format: .wxr).filter { finding in
                // WordPress writes `<category domain="category" nicename="…">`, and its importer
                // keeps a post's categories only when they carry `nicename`: RSS 2.0 has no such
                // attribute, but without it the categories would be lost on import.
                finding.isError && !(finding.kind == "UnexpectedAttribute" && finding.text.contains("nicename attribute on category"))
            }
            #expect(errors.isEmpty, "W3C Feed Validator on WXR: \(errors)")
        }
    }

    /// `--with-history` does not apply to feeds (a feed is the live site): it is refused, so
    /// there is no history feed to validate.
    @Test("--with-history is refused for feeds", arguments: [ExportFormat.rss, .atom])
    func withHistoryIsNotAFeed(format: ExportFormat) {
        #expect(!Fixture.options(format) { $0.withHistory = true }.problems().isEmpty)
    }

    /// The test of the test: feeds the validator must reject are rejected.
    @Test("a broken feed fails the check")
    func brokenFeedsFail() throws {
        let rss = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>t</title><link>https://www.example.org/</link>
            <item><pubDate>yesterday</pubDate><guid>x</guid></item></channel></rss>
            """
        let rssFindings = try Self.problems(Data(rss.utf8), format: .rss)
        #expect(rssFindings.contains { $0.kind == "MissingDescription" }, "\(rssFindings)")
        #expect(rssFindings.contains { $0.kind == "InvalidRFC2822Date" }, "\(rssFindings)")
        let atom = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2026-01-01T00:00:00Z</updated>
            <entry><title>e</title><updated>2026-01-01</updated></entry></feed>
            """
        let atomFindings = try Self.problems(Data(atom.utf8), format: .atom)
        #expect(atomFindings.contains { $0.kind == "MissingElement" }, "\(atomFindings)")
        #expect(atomFindings.count >= 2, "\(atomFindings)")
        // An accepted warning is accepted only for its own kind: two entries with one id are still reported.
        let duplicate = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>
            <author><name>a</name></author><link rel="self" href="https://www.example.org/atom.xml"/>
            <entry><title>e</title><id>urn:e</id><updated>2026-01-01T00:00:00Z</updated><summary>s</summary></entry>
            <entry><title>f</title><id>urn:e</id><updated>2026-01-01T00:00:00Z</updated><summary>s</summary></entry></feed>
            """
        let kinds = try Self.validate(Data(duplicate.utf8), format: .atom).map(\.kind)
        #expect(kinds.contains("DuplicateUpdated") && kinds.contains("DuplicateEntries"), "\(kinds)")
        #expect(try Self.problems(Data(duplicate.utf8), format: .atom).map(\.kind).contains("DuplicateEntries"))
    }
}
