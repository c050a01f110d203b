import CLibXML2
import Dispatch
import Foundation
import Synchronization
public import PMCMS  // imports into a ContentStore, with its types (Status, IncomingEntry)

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
                    summary.failures.append(.init(file: file, reason: .write(error)))
                    continue
                }
                // A record fetched before what the store holds is skipped, as a record, by reason.
                if result.outcomes.contains(where: { if case .olderCapture = $0 { true } else { false } }) {
                    summary.recordsSkipped = (summary.recordsSkipped ?? [:]).merging([ImportSummary.olderCapture: 1], uniquingKeysWith: +)
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
                    case .olderCapture:
                        break  // counted above, once for the record
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
                case .skipped(let record):
                    summary.filesSkipped += 1
                    if record { summary.recordsUnchanged += 1 }
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
                summary.failures.append(.init(file: archive, reason: .archive(error)))
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
                    damage.append(.init(file: archive, reason: .damagedArchive(error)))
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
        /// Unchanged since its last import; `record`: a WARC record rather than a file.
        case skipped(record: Bool)
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
            return .failed(.init(file: source.display, reason: ImportFailure(error)))
        }
        let hash = SHA256.hex(bytes)
        let fileKey = source.recordKey ?? source.identity
        if let key = fileKey, known[key] == hash { return .skipped(record: source.recordKey != nil) }
        do {
            let page = try Extractor.extract(bytes, pageURL: source.pageURL, charset: source.charset, maxSize: options.maxSize)
            var entries = try PageMapping.entries(for: page, identity: source.identity)
            for index in entries.indices { try entries[index].prepare() }
            return .page(source.display, PageImport(fileKey: fileKey, fileHash: hash, entries: entries, note: source.note, fetchedAt: source.fetchedAt))
        } catch {
            return .failed(.init(file: source.display, reason: ImportFailure(error)))
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
}

/// The outcome of one batch written on the writer queue, waited for by the import loop.
private final class WriteResult: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<[PageImportResult], any Error>?>(nil)

    func set(_ value: Result<[PageImportResult], any Error>) {
        result.withLock { $0 = value }
        done.signal()
    }

    func wait() throws -> [PageImportResult] {
        done.wait()
        // `set` stores a result before it signals, so one is always there after the wait.
        guard let outcome = result.withLock({ $0 }) else { return [] }
        return try outcome.get()
    }
}

/// Slots filled from several threads, each index once.
private final class PreparedSlots<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ value: Value) {
        slots.withLock { $0[index] = value }
    }

    var values: [Value] { slots.withLock { $0.compactMap { $0 } } }
}
