public import Foundation  // TimeInterval in the progress report
public import PMCMS  // imports into a ContentStore, with its types (Status, IncomingEntry)

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

    /// A file that could not be imported (or a path passed over), and why.
    public struct Failure: Sendable, Equatable {
        public var file: String
        public var reason: ImportFailure
    }

    public var pagesRead = 0
    /// Files and WARC records skipped because they are unchanged since they were imported.
    public var filesSkipped = 0
    /// Of `filesSkipped`, the WARC records (already imported), so that the summary names them as records.
    public var recordsUnchanged = 0
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

    /// The reason a record fetched before the entry's stored capture is skipped (`records_skipped`).
    public static let olderCapture = "older than the stored capture"
}

/// Errors of the import run itself, outside extraction.
public enum ImportError: Error, Equatable, CustomStringConvertible {
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

/// Why a file, a folder, an archive or one of its records was not imported, or why a path was
/// passed over: the value, with the sentence the import summary shows (`description`).
public enum ImportFailure: Error, Equatable, CustomStringConvertible {
    /// A folder could not be listed; `reason` is the system's.
    case unreadableFolder(reason: String)
    case brokenLink
    /// A symbolic link to `target`, outside the imported folder.
    case linkLeavesFolder(target: String)
    case noSuchFile
    /// Named `.warc` or `.warc.gz`, but not a WARC archive.
    case notAWARC
    /// Not inside the site root given for the import.
    case outsideRoot(root: String)
    /// The folder holds `held`, the site root an earlier import recorded for `baseURL`.
    case holdsRecordedRoot(held: String, baseURL: String, folder: String)
    /// The page could not be read.
    case input(InputError)
    /// The page's bytes are not a page the extractor can read.
    case extraction(ExtractionError)
    /// The page was read but names nothing to import, or no identity.
    case page(ImportError)
    /// The store refused the page (its savepoint rolled back).
    case write(PageImportError)
    /// The archive could not be opened.
    case archive(WARCError)
    /// The archive is damaged at a record; everything before it was imported.
    case damagedArchive(WARCError)
    /// A `response` record without an HTTP response in it.
    case noHTTPResponse
    case http(HTTPResponse.ParseError)
    /// The crawler cut the response short (`WARC-Truncated` gives why).
    case truncated(String)
    /// A record over the size limit.
    case recordTooLarge(bytes: Int, limit: Int)
    /// A record whose `WARC-Target-URI` is not an http(s) address.
    case noTargetURI

    /// The failure behind an error thrown while a page was read, extracted or checked.
    init(_ error: any Error) {
        switch error {
        case let error as InputError: self = .input(error)
        case let error as ExtractionError: self = .extraction(error)
        case let error as ImportError: self = .page(error)
        case let error as PageImportError: self = .write(error)
        case let error as WARCError: self = .archive(error)
        case let error as HTTPResponse.ParseError: self = .http(error)
        default: self = .write(PageImportError(error))
        }
    }

    public var description: String {
        switch self {
        case .unreadableFolder(let reason): "cannot read the folder: \(reason)"
        case .brokenLink: "a broken symbolic link"
        case .linkLeavesFolder(let target): "a symbolic link to \(target), outside the imported folder"
        case .noSuchFile: "no such file or folder"
        case .notAWARC: "named like a WARC archive, but it does not start with a WARC record (WARC/1.0 or WARC/1.1, plain or gzip)"
        case .outsideRoot(let root): "not inside the site root \(root) given by --root"
        case .holdsRecordedRoot(let held, let base, let folder):
            "holds \(held), the site root an earlier import recorded for \(base): its pages would get a second "
                + "identity. Import with --root \(held) (pages outside it are refused), or give --root \(folder) on purpose "
                + "if that earlier root was wrong"
        case .input(let error): error.description
        case .extraction(let error): error.description
        case .page(let error): error.description
        case .write(let error): error.description
        case .archive(let error): error.description
        case .damagedArchive(let error): "\(error); everything before it was imported"
        case .noHTTPResponse: "the record holds no HTTP response"
        case .http(let error): error.description
        case .truncated(let why): "the crawler cut this response short (WARC-Truncated: \(why)): the page is incomplete"
        case .recordTooLarge(let bytes, let limit):
            "the page is larger than the \(limit)-byte limit (its record holds \(bytes) bytes): raise it with --max-size if the page is genuine"
        case .noTargetURI: "its WARC-Target-URI is not an http(s) address, so the page has no identity"
        }
    }
}
