import CLibXML2
import Dispatch
import Foundation
import PMCMS

/// How an import run reads and writes.
public struct ImportOptions: Sendable {
    /// Prefix for pages' paths when a page names no canonical URL of its own.
    public var baseURL: String?
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

    public init(baseURL: String? = nil, newStatus: Status = .published, dryRun: Bool = false, maxSize: Int = 20_000_000,
                author: String, batchSize: Int = 128) {
        self.baseURL = baseURL
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

    public var pagesPerSecond: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    public var remaining: TimeInterval? { pagesPerSecond > 0 ? Double(total - done) / pagesPerSecond : nil }
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
}

/// One file to import: where it is, and the key and URL it is known by.
struct ImportSource: Sendable {
    var display: String
    var location: Location
    /// The file's identity in the store (for skipping unchanged files): its page URL.
    var key: String
    /// The page's URL when it names no canonical one.
    var pageURL: String

    enum Location: Sendable {
        case file(String)
        case standardInput
    }
}

/// Imports pages: files, folders (recursive `*.html`, `*.htm`) and standard input. Pages are
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
        let (sources, skipped, missing) = collect(paths)
        summary.skipped += skipped
        summary.failures += missing
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
        for batchStart in stride(from: 0, to: sources.count, by: max(1, options.batchSize)) {
            let batch = Array(sources[batchStart..<min(sources.count, batchStart + max(1, options.batchSize))])
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
            // Progress counts the batches before this one: all of them are written now.
            if done > 0 { progress?(ImportProgress(done: done, total: sources.count, elapsed: Date().timeIntervalSince(start))) }
            if !pages.isEmpty {
                let result = WriteResult()
                let (store, options, toWrite) = (store, options, pages)
                writer.async {
                    result.set(Result {
                        try store.importPages(toWrite, newStatus: options.newStatus, author: options.author, dryRun: options.dryRun)
                    })
                }
                inFlight = (pages, pageFiles, result)
            }
            done += batch.count
        }
        if let flight = inFlight { try finish(flight) }
        if !sources.isEmpty {
            progress?(ImportProgress(done: done, total: sources.count, elapsed: Date().timeIntervalSince(start)))
        }
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
        if known[source.key] == hash { return .skipped }
        do {
            let page = try Extractor.extract(bytes, pageURL: source.pageURL, maxSize: options.maxSize)
            var entries = try PageMapping.entries(for: page, pageURL: source.pageURL)
            for index in entries.indices { try entries[index].prepare() }
            return .page(source.display, PageImport(fileKey: source.key, fileHash: hash, entries: entries))
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
            }
        } catch InputError.tooLarge(_, let bytes?, let limit) {
            throw ExtractionError.tooLarge(bytes: bytes, limit: limit)
        } catch InputError.tooLarge(_, nil, let limit) {
            throw ImportError.tooLargeStream(limit: limit)
        }
    }

    /// Expands folders into their HTML files, in a stable order.
    func collect(_ paths: [String]) -> (sources: [ImportSource], skipped: [ImportSummary.Failure], failures: [ImportSummary.Failure]) {
        var sources: [ImportSource] = []
        var skipped: [ImportSummary.Failure] = []
        var failures: [ImportSummary.Failure] = []
        let fm = FileManager.default
        for path in paths {
            if path == "-" {
                let url = options.baseURL ?? "stdin"
                sources.append(ImportSource(display: "(standard input)", location: .standardInput, key: url, pageURL: url))
                continue
            }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append(.init(file: path, reason: "no such file or folder"))
                continue
            }
            if isDirectory.boolValue {
                let root = URL(fileURLWithPath: path).standardizedFileURL
                let walk = FolderWalk(root: root.path)
                skipped += walk.skipped
                failures += walk.failures
                for file in walk.files.sorted() {
                    let relative = String(file.dropFirst(root.path.count).drop { $0 == "/" })
                    sources.append(source(file: file, relative: relative))
                }
            } else {
                // A file named on the command line is the user's own choice, a link or not.
                sources.append(source(file: path, relative: URL(fileURLWithPath: path).lastPathComponent))
            }
        }
        return (sources, skipped, failures)
    }

    private func source(file: String, relative: String) -> ImportSource {
        let encoded = relative.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? String($0)
        }.joined(separator: "/")
        let url: String
        if let base = options.baseURL {
            url = (base.hasSuffix("/") ? base : base + "/") + encoded
        } else {
            url = encoded
        }
        return ImportSource(display: file, location: .file(file), key: url, pageURL: url)
    }
}

/// Errors of the import run itself, outside extraction.
public enum ImportError: Error, CustomStringConvertible {
    case nothingFound
    /// Standard input or a pipe that passed the limit; its size is not known.
    case tooLargeStream(limit: Int)

    public var description: String {
        switch self {
        case .nothingFound: "no question or article found on the page"
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
