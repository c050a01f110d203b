import Foundation
import PMCMS

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

extension ImportRun {
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
                failures.append(.init(file: path, reason: .noSuchFile))
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
                    failures.append(.init(file: path, reason: .notAWARC))
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
                    failures.append(.init(file: path, reason: .outsideRoot(root: explicitRoot)))
                    continue
                }
                root = explicitRoot
            } else if let recorded = recordedRoots.filter({ Self.isInside(folder, $0) }).min(by: { $0.count < $1.count }) {
                root = recorded
            } else if let held = recordedRoots.first(where: { Self.isInside($0, folder) }) {
                failures.append(.init(file: path, reason: .holdsRecordedRoot(held: held, baseURL: base, folder: folder)))
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
