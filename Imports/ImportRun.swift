import CLibXML2
import Dispatch
import Foundation
import PMCMS

/// How an import run reads and writes.
public struct ImportOptions: Sendable {
    /// Prefix for pages' paths from the site root when a page names no canonical URL of its own.
    public var baseURL: String?
    /// The folder `baseURL` stands for (`--root`); without it, the recorded root that holds the
    /// named folder, else the named folder itself (see `ImportRun.collect`).
    public var root: String?
    /// The address of the page read from standard input (`--url`).
    public var standardInputURL: String?
    /// The status of entries the import creates (pages come from the live site: `published`).
    public var newStatus: Status
    /// Work out and report what would change, and write nothing.
    public var dryRun: Bool
    /// Files larger than this are refused.
    public var maxSize: Int
    /// Who the import revisions are signed by.
    public var author: String
    /// Pages per write transaction: large enough to amortise commits, small enough to keep
    /// memory flat whatever the corpus size.
    public var batchSize: Int

    public init(baseURL: String? = nil, root: String? = nil, standardInputURL: String? = nil, newStatus: Status = .published,
                dryRun: Bool = false, maxSize: Int = 20_000_000, author: String, batchSize: Int = 128) {
        self.baseURL = baseURL
        self.root = root
        self.standardInputURL = standardInputURL
        self.newStatus = newStatus
        self.dryRun = dryRun
        self.maxSize = maxSize
        self.author = author
        self.batchSize = batchSize
    }
}

/// Where an import run stands, for a progress bar.
public struct ImportProgress: Sendable {
    public var done: Int
    public var total: Int
    public var elapsed: TimeInterval
    /// For a WARC archive, whose number of pages is known only at its end: bytes of the archive
    /// read and its size. `total` is then the pages so far.
    public var bytes: (read: Int64, size: Int64)? = nil

    public init(done: Int, total: Int, elapsed: TimeInterval, bytes: (read: Int64, size: Int64)? = nil) {
        self.done = done
        self.total = total
        self.elapsed = elapsed
        self.bytes = bytes
    }

    public var pagesPerSecond: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    /// How far along, from 0 to 1: by bytes for an archive, else by files.
    public var fraction: Double {
        if let bytes { return bytes.size > 0 ? min(1, Double(bytes.read) / Double(bytes.size)) : 1 }
        return total > 0 ? Double(done) / Double(total) : 1
    }
    public var remaining: TimeInterval? {
        if bytes != nil { return fraction > 0 && elapsed > 0 ? elapsed * (1 - fraction) / fraction : nil }
        return pagesPerSecond > 0 ? Double(total - done) / pagesPerSecond : nil
    }
}

/// What an import run did, for its summary.
public struct ImportSummary: Sendable {
    /// A conflict: the page changed after an editor's change.
    public struct Conflict: Sendable, Equatable {
        public var file: String
        public var slug: String
        public var upstream: Int
    }

    /// A file that could not be imported, and why.
    public struct Failure: Sendable, Equatable {
        public var file: String
        public var reason: String
    }

    public var pagesRead = 0
    public var filesSkipped = 0
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var conflicts: [Conflict] = []
    public var failures: [Failure] = []
    /// Paths passed over on purpose (a symbolic link leaving the imported folder), with why.
    public var skipped: [Failure] = []
    public var createdSlugs: [String] = []
    public var updatedSlugs: [String] = []
    /// WARC records passed over on purpose, by reason (`request`, `revisit`, `status 404`,
    /// `not HTML`, …); nil when no archive was imported.
    public var recordsSkipped: [String: Int]?
}

/// One file to import: where it is, and the identity it gets when it names no canonical URL.
struct ImportSource: Sendable {
    var display: String
    var location: Location
    /// The page's web address when the import knows it (`--base-url` + its path from the site
    /// root, or `--url`): relative links resolve against it.
    var pageURL: String?
    /// The identity of a page that names no canonical URL or `og:url`: `pageURL`, else
    /// `file://` + the file's absolute path; nil for standard input without `--url`, which is
    /// then refused. Also the key an unchanged file is skipped by.
    var identity: String?
    /// The key the page is skipped by when unchanged, when it is not `identity`: a WARC record's
    /// own id, since one URL may have several captures.
    var recordKey: String? = nil
    /// The charset the page was served with (HTTP `Content-Type`), ahead of its `<meta>`.
    var charset: String? = nil
    /// Added to the revision message: a WARC capture's fetch date.
    var note: String? = nil

    enum Location: Sendable {
        case file(String)
        case standardInput
        /// A page already in memory: a WARC record's decoded payload.
        case payload([UInt8])
    }
}

/// Imports pages: files, folders (recursive `*.html`, `*.htm`), WARC archives and standard input. Pages are
/// parsed on every core, and one writer stores them in batched transactions with one savepoint
/// per page, so a bad page is rolled back alone.
public struct ImportRun: Sendable {
    public let store: ContentStore
    public let options: ImportOptions

    public init(store: ContentStore, options: ImportOptions) {
        self.store = store
        self.options = options
    }

    /// Imports `paths`; `progress` is called after each batch.
    public func run(paths: [String], progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> ImportSummary {
        var summary = ImportSummary()
        let recorded = try options.baseURL.map { try store.importRoots(baseURL: $0) } ?? []
        let (sources, archives, skipped, missing, newRoots) = collect(paths, recordedRoots: recorded)
        summary.skipped += skipped
        summary.failures += missing
        // Recorded with the first batch of pages, in its transaction (rolled back in a dry run).
        var rootsToRecord = options.baseURL.flatMap { newRoots.isEmpty ? nil : (baseURL: $0, paths: newRoots) }
        let known = try store.importedFileHashes()
        let start = Date()
        xmlInitParser()  // once, before pages are parsed on several threads
        var done = 0
        // Batch k is written on `writer` while batch k+1 is read and parsed, so that the cores
        // are not idle while the single writer runs; results are still taken in batch order.
        let writer = DispatchQueue(label: "pmcms.import.writer")
        var inFlight: (pages: [PageImport], files: [String], result: WriteResult)?
        // A dry run rolls each batch back, so an entry met in several batches (an article card,
        // an article's own page) is "created" by each of them; a real import creates it once,
        // then only links to it (a card) or updates it (its page). Counted here as the import would.
        var createdInDryRun = Set<String>()
        func finish(_ flight: (pages: [PageImport], files: [String], result: WriteResult)) throws {
            let results = try flight.result.wait()
            for ((file, page), result) in zip(zip(flight.files, flight.pages), results) {
                if let error = result.error {
                    summary.failures.append(.init(file: file, reason: error))
                    continue
                }
                for (entry, outcome) in zip(page.entries, result.outcomes) {
                    // A card of an article the store has already is a link, not an entry of this page.
                    if entry.isCard, case .unchanged = outcome { continue }
                    var outcome = outcome
                    if options.dryRun, case .created(let slug) = outcome, !createdInDryRun.insert(entry.key).inserted {
                        if entry.isCard { continue }
                        outcome = .updated(slug: slug, revision: 2)
                    }
                    switch outcome {
                    case .created(let slug):
                        summary.created += 1
                        summary.createdSlugs.append(slug)
                    case .updated(let slug, _):
                        summary.updated += 1
                        summary.updatedSlugs.append(slug)
                    case .unchanged:
                        summary.unchanged += 1
                    case .conflict(let slug, let upstream):
                        summary.conflicts.append(.init(file: file, slug: slug, upstream: upstream))
                    }
                }
            }
        }
        /// Reads and parses `batch`, waits for the batch before it to be written (then calls
        /// `written`), and hands this one to the writer.
        func submit(_ batch: [ImportSource], written: () -> Void) throws {
            let prepared = prepare(batch, known: known)
            var pages: [PageImport] = []
            var pageFiles: [String] = []
            for item in prepared {
                switch item {
                case .skipped:
                    summary.filesSkipped += 1
                    summary.pagesRead += 1
                case .failed(let failure):
                    summary.failures.append(failure)
                case .page(let file, let page):
                    summary.pagesRead += 1
                    pages.append(page)
                    pageFiles.append(file)
                }
            }
            if let flight = inFlight {
                inFlight = nil
                try finish(flight)
            }
            written()
            if !pages.isEmpty {
                let result = WriteResult()
                let (store, options, toWrite, roots) = (store, options, pages, rootsToRecord)
                rootsToRecord = nil
                writer.async {
                    result.set(Result {
                        try store.importPages(toWrite, newStatus: options.newStatus, author: options.author, dryRun: options.dryRun, roots: roots)
                    })
                }
                inFlight = (pages, pageFiles, result)
            }
        }
        for batchStart in stride(from: 0, to: sources.count, by: max(1, options.batchSize)) {
            let batch = Array(sources[batchStart..<min(sources.count, batchStart + max(1, options.batchSize))])
            try submit(batch) {
                // Progress counts the batches before this one: all of them are written now.
                if done > 0 { progress?(ImportProgress(done: done, total: sources.count, elapsed: Date().timeIntervalSince(start))) }
            }
            done += batch.count
        }
        if let flight = inFlight {
            inFlight = nil
            try finish(flight)
        }
        if !sources.isEmpty {
            progress?(ImportProgress(done: done, total: sources.count, elapsed: Date().timeIntervalSince(start)))
        }
        // Archives are streamed: read a batch of records, parse it while the one before is
        // written. The damage that stops an archive is reported after everything before it.
        var damage: [ImportSummary.Failure] = []
        for archive in archives {
            var feed: WARCFeed
            do {
                feed = try WARCFeed(path: archive, maxSize: options.maxSize)
            } catch {
                summary.failures.append(.init(file: archive, reason: "\(error)"))
                continue
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: archive)[.size] as? Int64) ?? nil
            let archiveStart = Date()
            var pages = 0
            func report() {
                progress?(ImportProgress(done: pages, total: pages, elapsed: Date().timeIntervalSince(archiveStart),
                                         bytes: (feed.bytesRead, size ?? 0)))
            }
            var finished = false
            while !finished {
                // A batch of pages, or 32 MB of them: memory stays flat whatever the pages' sizes.
                let batch = feed.nextBatch(pages: max(1, options.batchSize), bytes: 32 << 20)
                summary.failures += batch.failures
                try submit(batch.sources, written: report)
                pages += batch.sources.count
                if let error = batch.damage {
                    damage.append(.init(file: archive, reason: "\(error); everything before it was imported"))
                }
                finished = batch.finished
            }
            if let flight = inFlight {
                inFlight = nil
                try finish(flight)
            }
            report()
            summary.recordsSkipped = (summary.recordsSkipped ?? [:]).merging(feed.skipped, uniquingKeysWith: +)
        }
        summary.failures += damage
        return summary
    }

    private enum Prepared: Sendable {
        case skipped
        case failed(ImportSummary.Failure)
        case page(String, PageImport)
    }

    /// Reads, hashes and extracts a batch in parallel; order is kept.
    private func prepare(_ batch: [ImportSource], known: [String: String]) -> [Prepared] {
        let results = PreparedSlots<Prepared>(count: batch.count)
        let options = self.options
        DispatchQueue.concurrentPerform(iterations: batch.count) { index in
            results.set(index, Self.prepare(batch[index], known: known, options: options))
        }
        return results.values
    }

    private static func prepare(_ source: ImportSource, known: [String: String], options: ImportOptions) -> Prepared {
        let bytes: [UInt8]
        do {
            bytes = try read(source, maxSize: options.maxSize)
        } catch {
            return .failed(.init(file: source.display, reason: "\(error)"))
        }
        let hash = SHA256.hex(bytes)
        let fileKey = source.recordKey ?? source.identity
        if let key = fileKey, known[key] == hash { return .skipped }
        do {
            let page = try Extractor.extract(bytes, pageURL: source.pageURL, charset: source.charset, maxSize: options.maxSize)
            var entries = try PageMapping.entries(for: page, identity: source.identity)
            for index in entries.indices { try entries[index].prepare() }
            return .page(source.display, PageImport(fileKey: fileKey, fileHash: hash, entries: entries, note: source.note))
        } catch {
            return .failed(.init(file: source.display, reason: "\(error)"))
        }
    }

    /// Reads a page with the size limit checked on the file itself (a link followed) before
    /// reading, and standard input read in bounded chunks, refused once past the limit.
    private static func read(_ source: ImportSource, maxSize: Int) throws -> [UInt8] {
        do {
            switch source.location {
            case .standardInput: return try BoundedInput.read(path: nil, limit: maxSize)
            case .file(let path): return try BoundedInput.read(path: path, limit: maxSize)
            case .payload(let bytes): return bytes
            }
        } catch InputError.tooLarge(_, let bytes?, let limit) {
            throw ExtractionError.tooLarge(bytes: bytes, limit: limit)
        } catch InputError.tooLarge(_, nil, let limit) {
            throw ImportError.tooLargeStream(limit: limit)
        }
    }

    /// Expands folders into their HTML files, in a stable order, and gives each file the
    /// identity it has when its page names no canonical URL:
    ///
    /// - with `--base-url`, the base plus the file's path from the site root. The root is
    ///   `--root` when given; else the outermost root recorded for this base URL that holds the
    ///   named path (so `site/legacy/` imported after `site/` keeps `legacy/` in its paths); else
    ///   the named folder (for a file, its folder), which becomes a recorded root (`newRoots`). A
    ///   named folder that holds a recorded root is refused without `--root`: its pages under that
    ///   root were identified from there, and would otherwise be imported a second time.
    /// - without it, `file://` + the file's absolute path (links resolved): the same file has the
    ///   same identity from any folder, and two folders' `source.html` never meet.
    ///
    /// A file named on the command line that is a WARC archive (by its first bytes, gzip or not)
    /// goes to `archives`: its pages are identified by their records' target URIs instead.
    func collect(_ paths: [String], recordedRoots: [String] = []) -> (
        sources: [ImportSource], archives: [String], skipped: [ImportSummary.Failure], failures: [ImportSummary.Failure], newRoots: [String]
    ) {
        var sources: [ImportSource] = []
        var archives: [String] = []
        var skipped: [ImportSummary.Failure] = []
        var failures: [ImportSummary.Failure] = []
        var newRoots: [String] = []
        let fm = FileManager.default
        let explicitRoot = options.root.map(Self.resolvedPath)
        for path in paths {
            if path == "-" {
                let url = options.standardInputURL ?? options.baseURL
                sources.append(ImportSource(display: "(standard input)", location: .standardInput, pageURL: url, identity: url))
                continue
            }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append(.init(file: path, reason: "no such file or folder"))
                continue
            }
            // The named folder (for a file, its folder) with links resolved, and the files under it.
            let folder: String
            var files: [(path: String, relative: String)] = []
            if isDirectory.boolValue {
                folder = Self.resolvedPath(path)
                let given = URL(fileURLWithPath: path).standardizedFileURL.path
                let walk = FolderWalk(root: given)
                skipped += walk.skipped
                failures += walk.failures
                for file in walk.files.sorted() {
                    files.append((file, String(file.dropFirst(given.count).drop { $0 == "/" })))
                }
            } else {
                // Only a regular file is looked into: reading the first bytes of a pipe
                // (`<(curl …)`) would take them from the page.
                var info = stat()
                if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, WARCReader.isArchive(path: path) {
                    archives.append(path)
                    continue
                }
                let lower = path.lowercased()
                if lower.hasSuffix(".warc") || lower.hasSuffix(".warc.gz") {
                    failures.append(.init(file: path, reason: "named like a WARC archive, but it does not start with a WARC record (WARC/1.0 or WARC/1.1, plain or gzip)"))
                    continue
                }
                // A file named on the command line is the user's own choice, a link or not.
                let url = URL(fileURLWithPath: path)
                folder = Self.resolvedPath(url.deletingLastPathComponent().path)
                files.append((path, url.lastPathComponent))
            }
            guard let base = options.baseURL else {
                for file in files {
                    let absolute = URL(fileURLWithPath: folder).appendingPathComponent(file.relative).standardizedFileURL
                    sources.append(ImportSource(display: file.path, location: .file(file.path), pageURL: nil, identity: absolute.absoluteString))
                }
                continue
            }
            let root: String
            if let explicitRoot {
                guard Self.isInside(folder, explicitRoot) else {
                    failures.append(.init(file: path, reason: "not inside the site root \(explicitRoot) given by --root"))
                    continue
                }
                root = explicitRoot
            } else if let recorded = recordedRoots.filter({ Self.isInside(folder, $0) }).min(by: { $0.count < $1.count }) {
                root = recorded
            } else if let held = recordedRoots.first(where: { Self.isInside($0, folder) }) {
                failures.append(.init(file: path, reason: """
                    holds \(held), the site root an earlier import recorded for \(base): its pages would get a second \
                    identity. Import with --root \(held) (pages outside it are refused), or give --root \(folder) on purpose \
                    if that earlier root was wrong
                    """))
                continue
            } else {
                root = folder
                if !newRoots.contains(folder) { newRoots.append(folder) }
            }
            let prefix = String(folder.dropFirst(root.count).drop { $0 == "/" })
            for file in files {
                let relative = prefix.isEmpty ? file.relative : prefix + "/" + file.relative
                let url = Self.pageURL(base: base, relative: relative)
                sources.append(ImportSource(display: file.path, location: .file(file.path), pageURL: url, identity: url))
            }
        }
        if let explicitRoot, options.baseURL != nil, !newRoots.contains(explicitRoot), !recordedRoots.contains(explicitRoot) {
            newRoots.append(explicitRoot)
        }
        return (sources, archives, skipped, failures, newRoots)
    }

    /// `base` + the path from the site root, each segment percent-encoded.
    private static func pageURL(base: String, relative: String) -> String {
        let encoded = relative.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? String($0)
        }.joined(separator: "/")
        return (base.hasSuffix("/") ? base : base + "/") + encoded
    }

    /// Whether `path` is `folder` or below it (both absolute, links resolved).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// The absolute path with symbolic links resolved (`realpath`), else made absolute as given.
    static func resolvedPath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// Errors of the import run itself, outside extraction.
public enum ImportError: Error, CustomStringConvertible {
    case nothingFound
    /// Standard input whose page names no canonical URL or `og:url`, imported without `--url`.
    case noIdentity
    /// The answer (or article body) under `question` came out empty.
    case emptyAnswer(question: String)
    /// Standard input or a pipe that passed the limit; its size is not known.
    case tooLargeStream(limit: Int)

    public var description: String {
        switch self {
        case .nothingFound: "no question or article found on the page"
        case .emptyAnswer(let question):
            "no answer text found under \"\(question)\": the page's markup may hide it (forms, scripts, unclosed tags); nothing was imported from this page"
        case .noIdentity:
            "the page names no canonical URL or og:url, so pmcms cannot tell which page it is: give its address with --url URL (or --base-url URL)"
        case .tooLargeStream(let limit): "passed the \(limit)-byte limit (reading stopped there): raise it with --max-size if the page is genuine"
        }
    }
}

/// The outcome of one batch written on the writer queue, waited for by the import loop.
private final class WriteResult: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<[PageImportResult], Error>?

    func set(_ value: Result<[PageImportResult], Error>) {
        result = value
        done.signal()  // the semaphore orders this write before the reader's
    }

    func wait() throws -> [PageImportResult] {
        done.wait()
        return try result!.get()
    }
}

/// Slots filled from several threads, each index once.
private final class PreparedSlots<Value: Sendable>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Value] { slots.compactMap { $0 } }
}
