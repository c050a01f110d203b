// Public: a conformance of a public library type (below) is as public as the type.
public import ArgumentParser
import Exports
import Foundation
import PMCMS

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the site's entries as JSON, NDJSON, CSV, RSS, Atom, JSON Feed, FAQPage JSON-LD, a sitemap or WordPress WXR.",
        discussion: """
            By default exports the live (published) revision of each published entry; --all \
            exports the latest revision of every entry, whatever its status. Entries are read \
            and written one at a time, so any number of them exports in flat memory.

            Formats: json ({"generated_at", "site", "entries"}), ndjson (one entry per line), \
            csv (RFC 4180, CRLF), rss (RSS 2.0), atom (RFC 4287), jsonfeed (JSON Feed 1.1), \
            faq-jsonld (schema.org FAQPage of the questions that have an answer), sitemap \
            (sitemaps.org), wxr (WordPress eXtended RSS 1.2, for Tools → Import → WordPress: \
            every entry a post, its kind a category, published → publish, in review or \
            approved → pending, draft or archived → draft; --post-type gives questions a post \
            type of their own), hugo DIR (a Hugo content tree: DIR/questions/SLUG.md and \
            DIR/articles/SLUG.md with YAML front matter; a re-export rewrites only changed files \
            and removes the files of entries no longer exported, and never writes outside DIR). JSON output escapes <, > and & as \\u003c, \\u003e, \\u0026, so it \
            can be pasted into a web page.

            rss, atom and jsonfeed hold the newest feed.limit entries (default 50) by edited_at, \
            and need site.title and site.url (`pmcms config site.title ...`, `pmcms config \
            site.url ...`), as does wxr; sitemap needs site.url. An item links to the entry's source_url \
            when it is absolute, else to site.url/slug.

            With --out, the file is written beside FILE and renamed into place when complete: a \
            failed export leaves no half-written file, and a replaced file keeps its permissions. \
            A symbolic link is followed (its target is replaced, the link stays); a character \
            device or a named pipe is written to in place. The store itself, its -wal and -shm \
            files and links to them are refused, and so is a read-only file unless --force.

            Examples:
              pmcms export json --out export.json
              pmcms export ndjson --all --with-history > history.ndjson
              pmcms export csv --bom --columns id,slug,title,edited_at --out entries.csv
              pmcms export rss --out feed.xml
              pmcms export atom --kind question --out atom.xml
              pmcms export sitemap --out sitemap.xml
              pmcms export wxr --all --post-type faq --out wordpress.xml
              pmcms export hugo site/content
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The format to write.", valueName: "format"))
    var format: ExportFormat
    @Argument(help: ArgumentHelp("hugo: the content folder to write (created if missing; its parent must exist).", valueName: "dir"))
    var directory: String?
    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var out: String?
    @Flag(help: "Every entry at its latest revision, whatever its status (default: published entries, live revision).")
    var all = false
    @Option(help: "Only entries of this kind (\(Kind.allCases.map(\.rawValue).joined(separator: ", "))).")
    var kind: Kind?
    @Option(help: ArgumentHelp("Only entries changed on or after this date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ).", valueName: "date"))
    var since: String?
    @Flag(help: "json, ndjson: add each entry's revisions.")
    var withHistory = false
    @Flag(help: "csv: start with a UTF-8 byte order mark, for spreadsheet applications.")
    var bom = false
    @Option(help: ArgumentHelp("csv: these columns, in this order (default: all).", valueName: "a,b,c"))
    var columns: String?
    @Flag(help: "With --out: replace the file even if it is read-only.")
    var force = false
    @Flag(help: "csv: keep cells that begin with =, +, - or @ as they are (default: prefix them with ' against formula injection).")
    var raw = false
    @Option(name: .customLong("post-type"), help: ArgumentHelp("wxr: the WordPress post type of questions (default: post).", valueName: "name"))
    var postType: String?

    func validate() throws {
        if let since, Timestamp.parse(since) == nil {
            throw ValidationError("--since '\(since)' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
        }
        if let out, out.isEmpty || out.hasSuffix("/") { throw ValidationError("--out needs a file name") }
        if force && out == nil { throw ValidationError("--force goes with --out") }
        if format == .hugo {
            guard let directory, !directory.isEmpty else { throw ValidationError("export hugo needs the content folder to write: pmcms export hugo DIR") }
            if out != nil { throw ValidationError("export hugo writes a folder: name it as DIR, not with --out") }
        } else if let directory {
            throw ValidationError("export \(format.rawValue) takes no folder ('\(directory)'): write to a file with --out FILE")
        }
        let options = try makeOptions()
        if let problem = options.problems().first { throw ValidationError(problem.description) }
    }

    func makeOptions() throws -> ExportOptions {
        var options = ExportOptions(format: format)
        options.selection = all ? .head : .live
        options.kind = kind
        options.since = since
        options.withHistory = withHistory
        options.bom = bom
        options.raw = raw
        if let columns {
            do {
                options.columns = try CSVColumn.parseList(columns)
            } catch let error as ExportError {
                throw ValidationError(error.description)
            }
            options.columnsGiven = true
        }
        if let postType {
            options.questionPostType = postType
            options.postTypeGiven = true
        }
        options.fileName = out.map { URL(fileURLWithPath: $0).lastPathComponent }
        options.generator = "pmcms \(PMCMSCommand.configuration.version)"
        return options
    }

    func run() throws {
        let store = try global.openStore(.read)
        let options = try makeOptions()
        do {
            if format == .hugo, let directory {
                let summary = try HugoExport.export(options, from: store, into: directory)
                print("\(directory): \(Plural.count(summary.entries, "entry", plural: "entries")) (hugo: \(summary.written) written, \(summary.unchanged) unchanged, \(summary.removed) removed)")
            } else if let out {
                let summary = try AtomicFile.write(to: out, protecting: global.storePath, force: force) { sink in try Exporter.export(options, from: store, to: sink) }
                print("\(out): \(Plural.count(summary.entries, "entry", plural: "entries")) (\(format.rawValue), \(summary.bytes) bytes)")
            } else {
                _ = try Exporter.export(options, from: store, to: OutputSink(FileHandle.standardOutput))
            }
        } catch let error as ExportError {
            throw CLIError(message: error.description)
        }
    }
}
