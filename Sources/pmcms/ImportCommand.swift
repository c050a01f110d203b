import ArgumentParser
import Foundation
import Imports
import PMCMS

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import scraped pages: questions, answers, article cards, links and edit dates.",
        discussion: """
            Reads HTML files, folders (every *.html and *.htm below them), WARC archives \
            (crawl.warc or crawl.warc.gz, as wget --warc-file and other crawlers write them) or - \
            for standard input. Each page gives question entries (one per question: FAQPage data, \
            accordions, definition lists, or the page's heading and the answer under it) with \
            their related questions and article cards, or one article entry. New entries are \
            published, as the pages are live on the site, unless --status says otherwise.

            Re-importing is safe: an unchanged file is skipped, a changed page makes a new \
            revision, and a page changed after an editor's edit keeps the editor's text and is \
            reported as a conflict (see `pmcms check`). Each page is one transaction; a bad file \
            is reported and the rest imported, and the exit status is then 1.

            Examples:
              pmcms import site/ --base-url https://www.example.org
              pmcms import faq/page.html --status draft --dry-run
              pmcms import crawl.warc.gz
              pmcms import site/legacy/ --base-url https://www.example.org --root site
              curl -s https://www.example.org/faq/x | pmcms import - --url https://www.example.org/faq/x

            A page is identified by its canonical URL, else og:url, else --base-url plus its \
            path from the site root (--root, else the root recorded for that base URL by an \
            earlier import that holds the named folder, else the named folder itself), else \
            file:// plus its absolute path. Standard input needs a canonical URL, --url or \
            --base-url. A page identified by its path that would replace an entirely different \
            page (other title and text) is reported as a collision and not written.

            From a WARC archive every response record with status 200 and an HTML payload is a \
            page, identified by its canonical URL, else og:url, else its WARC-Target-URI \
            (--base-url does not apply), read in the charset of its HTTP header ahead of its <meta>. Requests, \
            revisits, other statuses and other types are skipped and counted. Several captures \
            of one URL become revisions in the archive's order; each revision message keeps the \
            capture's WARC-Date. A damaged or cut-short archive is imported up to the damage, \
            whose byte offset is reported (exit status 1). Records already imported are skipped.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Files, folders, WARC archives (.warc, .warc.gz), or - for standard input.") var paths: [String]
    @Option(name: .customLong("base-url"), help: "The site URL the files' paths from the site root are relative to, for pages with no canonical URL.") var baseURL: String?
    @Option(help: "The folder --base-url stands for (default: the root recorded by an earlier import that holds the named folder, else the named folder).") var root: String?
    @Option(help: "The address of the page read from standard input (-), for a page with no canonical URL.") var url: String?
    @Option(help: "Status of new entries (default published).") var status: Status = .published
    @Flag(name: .customLong("dry-run"), help: "Report what would change and write nothing.") var dryRun = false
    @Option(name: .customLong("max-size"), help: "Refuse files larger than this many bytes (default 20000000).") var maxSize = 20_000_000
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give files, folders or - to import") }
        if let baseURL, let problem = TextCheck.controlProblem(baseURL) { throw ValidationError("--base-url \(problem)") }
        if let baseURL, !URLCheck.isAbsoluteWebURL(URLCheck.encoded(baseURL)) {
            throw ValidationError("--base-url must be an absolute http(s) URL, e.g. https://www.example.org")
        }
        if let url, let problem = TextCheck.controlProblem(url) { throw ValidationError("--url \(problem)") }
        if let url, !URLCheck.isAbsoluteWebURL(URLCheck.encoded(url)) {
            throw ValidationError("--url must be an absolute http(s) URL, e.g. https://www.example.org/faq/page")
        }
        if url != nil, !paths.contains("-") { throw ValidationError("--url is the address of standard input's page: use it with -") }
        if let root {
            if baseURL == nil { throw ValidationError("--root says which folder --base-url stands for: give --base-url too") }
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw ValidationError("--root must be an existing folder: \(root)")
            }
        }
        if maxSize < 1 { throw ValidationError("--max-size must be at least 1") }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("- (standard input) can be given once") }
    }

    struct SummaryJSON: Encodable {
        let dry_run: Bool
        let pages_read: Int, files_skipped: Int, created: Int, updated: Int, unchanged: Int
        let conflicts: [ConflictJSON]
        let errors: [ErrorJSON]
        /// Only when something was skipped, so that the usual output stays as it was.
        let skipped: [ErrorJSON]?
        /// WARC records passed over, by reason; only when an archive was imported.
        let records_skipped: [String: Int]?
        struct ConflictJSON: Encodable { let file: String, slug: String, upstream: Int }
        struct ErrorJSON: Encodable { let file: String, reason: String }
    }

    func run() throws {
        // A dry run against a store that does not exist yet (a missing or empty file) reports against an empty one,
        // made aside and thrown away, so that nothing is created where the user pointed.
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        let store: ContentStore
        let storeSize = (try? FileManager.default.attributesOfItem(atPath: global.storePath)[.size] as? Int) ?? nil
        if dryRun && !StoreAddress.isPostgres(global.storePath) && (storeSize ?? 0) == 0 {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-dry-run-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            scratch = folder
            store = try ContentStore(path: folder.appendingPathComponent("empty.sqlite").path, create: true)
        } else {
            store = try global.openStore(.create)
        }
        let run = ImportRun(store: store, options: ImportOptions(
            baseURL: baseURL.map(URLCheck.encoded), root: root, standardInputURL: url.map(URLCheck.encoded), newStatus: status,
            dryRun: dryRun, maxSize: maxSize, author: global.authorName))
        let showProgress = Terminal.stderrIsTerminal && !output.json
        var progress: (@Sendable (ImportProgress) -> Void)?
        if showProgress { progress = { @Sendable update in ProgressBar.draw(update) } }
        let summary = try run.run(paths: paths, progress: progress)
        if showProgress { ProgressBar.clear() }
        if output.json {
            print(try JSONOutput.string(SummaryJSON(
                dry_run: dryRun, pages_read: summary.pagesRead, files_skipped: summary.filesSkipped, created: summary.created,
                updated: summary.updated, unchanged: summary.unchanged,
                conflicts: summary.conflicts.map { SummaryJSON.ConflictJSON(file: $0.file, slug: $0.slug, upstream: $0.upstream) },
                errors: summary.failures.map { SummaryJSON.ErrorJSON(file: $0.file, reason: $0.reason.description) },
                skipped: summary.skipped.isEmpty ? nil : summary.skipped.map { SummaryJSON.ErrorJSON(file: $0.file, reason: $0.reason.description) },
                records_skipped: summary.recordsSkipped),
                pretty: true))
        } else {
            print(Self.describe(summary, dryRun: dryRun, store: store))
            // Per-file errors go to standard error, one line each, like every other error.
            for failure in summary.failures {
                Terminal.warn("pmcms: error: \(Terminal.oneLine(failure.file)): \(Terminal.oneLine(failure.reason.description))")
            }
        }
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }

    static func describe(_ s: ImportSummary, dryRun: Bool, store: ContentStore) -> String {
        var lines: [String] = []
        let verb = dryRun ? "dry run, nothing written: would have" : "imported"
        // The pages written (or compared); the skipped ones are counted in the parentheses, so
        // that a second run of the same import does not say it imported them again.
        var head = "\(verb) \(Plural.count(s.pagesRead - s.filesSkipped, "page"))"
        // Files are skipped when unchanged; a WARC record is skipped because it was imported already.
        let unchanged = [
            s.filesSkipped > s.recordsUnchanged ? Plural.count(s.filesSkipped - s.recordsUnchanged, "unchanged file") : nil,
            s.recordsUnchanged > 0 ? Plural.count(s.recordsUnchanged, "already imported WARC record") : nil,
        ].compactMap { $0 }
        if !unchanged.isEmpty { head += " (\(unchanged.joined(separator: ", ")) skipped)" }
        head += ": \(s.created) created, \(s.updated) updated, \(s.unchanged) unchanged, \(Plural.count(s.conflicts.count, "conflict")), \(Plural.count(s.failures.count, "error"))"
        lines.append(head)
        for conflict in s.conflicts {
            let head = (try? store.header(conflict.slug).head).map(String.init) ?? "HEAD"
            lines.append("  \(Terminal.styled("conflict", .yellow)) \(conflict.slug): the page changed after an edit; the edit stays. Compare: pmcms diff \(conflict.slug) \(head) \(conflict.upstream)")
        }
        if let records = s.recordsSkipped {
            let total = records.values.reduce(0, +)
            let reasons = records.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            lines.append("  \(Plural.count(total, "WARC record")) skipped\(total > 0 ? ": " + reasons : "")")
        }
        for skip in s.skipped {
            lines.append("  \(Terminal.styled("skipped", .yellow))  \(Terminal.oneLine(skip.file)): \(Terminal.oneLine(skip.reason.description))")
        }
        // Per-file errors go to standard error (see `run`).
        return lines.joined(separator: "\n")
    }
}

/// A one-line progress bar on standard error: pages, pages per second, time left.
enum ProgressBar {
    static func draw(_ progress: ImportProgress) {
        let width = 24
        let filled = min(width, max(0, Int(Double(width) * progress.fraction)))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        var line = "\r[\(bar)] "
        if let bytes = progress.bytes {
            // An archive: its pages are counted as they come, its bytes say how far along it is.
            line += "\(progress.done) pages · \(bytes.read >> 20)/\(bytes.size >> 20) MB"
        } else {
            line += "\(progress.done)/\(progress.total) pages"
        }
        line += " · \(Int(progress.pagesPerSecond)) pages/s"
        if let remaining = progress.remaining, progress.fraction < 1 { line += " · ETA \(Int(remaining.rounded(.up)))s" }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
