import Foundation
public import PMCMS  // exports a ContentStore, with its types (Kind, SettingKey, StreamSelection)

/// What an export wrote.
public struct ExportSummary: Sendable, Equatable {
    public var format: ExportFormat
    /// How many entries were read from the store and handed to the writer.
    public var entries: Int
    public var bytes: Int
}

/// Runs one export: checks the options and settings, then streams the entries from the store
/// into the format's writer, one at a time.
public enum Exporter {
    public static func export(_ options: ExportOptions, from store: ContentStore, to sink: OutputSink) throws -> ExportSummary {
        if let problem = options.problems().first { throw problem }
        if options.format == .hugo { throw ExportError.notAStream(format: .hugo) }
        let site = Site(settings: try store.settings())
        // Checked before a byte is written, so that a feed missing its settings leaves nothing behind.
        try site.require(for: options.format)
        let generatedAt = Timestamp.now()
        let generatedDate = Timestamp.parse(generatedAt) ?? Date()
        // `feed.url` says where the feed lives; without it, the site's URL and the file name.
        let selfURL = site.feedURL ?? site.page(options.fileName ?? options.format.defaultFileName)

        var query = StreamQuery(selection: options.selection, kind: options.kind, since: options.since, withHistory: options.withHistory)
        // One "now" per run: an entry is in or out of the whole export by its schedule at this time.
        query.now = generatedAt
        if options.format.isFeed {
            query.order = .newestEdited
            query.limit = site.feedLimit
        }
        if options.format == .faqJSONLD { query.kind = .question }
        // Only the entry object (json, ndjson) prints links; the other writers skip resolving them.
        query.withLinks = options.format == .json || options.format == .ndjson

        var writer: any EntryWriter
        switch options.format {
        case .json:
            writer = JSONExportWriter(stream: JSONObjectStream(sink: sink), generatedAt: generatedAt, site: site)
        case .ndjson:
            writer = NDJSONExportWriter(sink: sink)
        case .csv:
            writer = CSVExportWriter(sink: sink, columns: options.columns, bom: options.bom, raw: options.raw)
        case .rss:
            writer = RSSExportWriter(xml: try XMLWriter(sink: sink), site: site, selfURL: selfURL, generatedAt: generatedDate, generator: options.generator)
        case .atom:
            writer = AtomExportWriter(xml: try XMLWriter(sink: sink), site: site, selfURL: selfURL, generatedAt: generatedDate, generator: options.generator)
        case .jsonfeed:
            writer = JSONFeedExportWriter(stream: JSONObjectStream(sink: sink), site: site, selfURL: selfURL)
        case .faqJSONLD:
            writer = FAQJSONLDExportWriter(stream: JSONObjectStream(sink: sink))
        case .sitemap:
            writer = SitemapExportWriter(xml: try XMLWriter(sink: sink), site: site)
        case .hugo:
            throw ExportError.notAStream(format: .hugo)
        case .wxr:
            writer = WXRExportWriter(
                xml: try XMLWriter(sink: sink), site: site, generatedAt: generatedDate, generator: options.generator,
                questionPostType: options.questionPostType)
        }

        try writer.begin()
        let count: Int
        if var objects = writer as? any EntryObjectWriter, !query.withHistory {
            // The entry object as the database builds it (see `ContentStore.streamEntryJSON`).
            count = try store.streamEntryJSON(query) { json in try objects.write(entryObject: json) }
            writer = objects
        } else {
            count = try store.stream(query) { entry in try writer.write(entry) }
        }
        try writer.end()
        try sink.flush()
        return ExportSummary(format: options.format, entries: count, bytes: sink.byteCount)
    }
}
