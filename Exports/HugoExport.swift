import Foundation
public import PMCMS  // exports a ContentStore, with its types (Kind, SettingKey, StreamSelection)
import Yams

/// What `export hugo` did to the content tree.
public struct HugoExportSummary: Sendable, Equatable {
    /// Entries exported (each one file).
    public var entries = 0
    /// Files written because they were new or their text changed.
    public var written = 0
    /// Files left alone because they already held exactly this text.
    public var unchanged = 0
    /// Files of entries no longer exported, removed.
    public var removed = 0
}

/// `export hugo DIR`: a Hugo content tree, one Markdown file with YAML front matter per entry, in
/// a section folder per kind (`questions/`, `articles/`).
///
/// Re-exporting writes only files whose text changed and removes the files of entries that are
/// no longer exported: the tree holds what the store holds. Only files pmcms wrote are ever
/// removed (they are listed in `.pmcms-hugo.json` in DIR), and nothing is written outside DIR:
/// file names are slugs, and section folders that are symbolic links are refused.
public enum HugoExport {
    /// The list of files pmcms wrote into DIR, so that a re-export removes only its own files.
    static let manifestName = ".pmcms-hugo.json"

    struct Manifest: Codable {
        var files: [String]
    }

    /// The front matter of one entry, in the order Hugo users write it. Keys Hugo knows (title,
    /// date, lastmod, draft, slug, summary, images, aliases) mean what Hugo says; the rest are
    /// the page's params.
    struct FrontMatter: Encodable {
        var title: String
        var date: String
        var lastmod: String
        /// Hugo does not build the page before this time (a scheduled entry), nor after
        /// `expiryDate`; both only when the entry has a schedule.
        var publishDate: String?
        var expiryDate: String?
        var draft: Bool
        var slug: String
        var summary: String?
        var images: [String]?
        var aliases: [String]?
        /// Slugs of the related questions, in order.
        var related: [String]?
        /// Slugs of the article cards, in order.
        var articles: [String]?
        /// Related questions and cards that are not pages of this export (not imported yet, or
        /// not published), by title and URL, so that a layout can still link them.
        var external_links: [ExternalLink]?
        var pmcms: PMCMSParams
    }

    struct ExternalLink: Encodable {
        var title: String
        var url: String
    }

    /// Where the file came from, for a round trip back to the store.
    struct PMCMSParams: Encodable {
        var id: Int64
        var revision: Int
        var kind: String
        var status: String
        var source_url: String?
    }

    /// The section folder of a kind.
    static func section(_ kind: Kind) -> String {
        switch kind {
        case .question: "questions"
        case .article: "articles"
        }
    }

    public static func export(_ options: ExportOptions, from store: ContentStore, into path: String) throws -> HugoExportSummary {
        if let problem = options.problems().first { throw problem }
        let site = Site(settings: try store.settings())
        let root = URL(fileURLWithPath: path).standardizedFileURL
        try prepareRoot(root)
        let kinds = options.kind.map { [$0] } ?? Kind.allCases
        for kind in kinds { try prepareSection(root.appendingPathComponent(section(kind)), root: root) }

        let previous = readManifest(root)
        var exported = Set<String>()
        var summary = HugoExportSummary()
        var query = StreamQuery(selection: options.selection, kind: options.kind)
        query.now = Timestamp.now()  // one "now" for the whole export (see `StreamQuery.now`)
        // A link becomes a page reference only when its target is a page of this export;
        // otherwise Hugo would be asked for a page that does not exist.
        let pages = try store.slugs(query)
        query.withLinks = true
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.width = -1
        summary.entries = try store.stream(query) { entry in
            let relative = try fileName(for: entry.view)
            let text = try document(for: entry.view, site: site, pages: pages, encoder: encoder)
            if try writeIfChanged(Data(text.utf8), to: root.appendingPathComponent(relative)) {
                summary.written += 1
            } else {
                summary.unchanged += 1
            }
            exported.insert(relative)
        }
        // Files this export would have written but did not: entries no longer exported, in the
        // sections this export covered.
        let covered = Set(kinds.map(section))
        var kept = exported
        for relative in previous.files where !exported.contains(relative) {
            guard let folder = relative.split(separator: "/").first.map(String.init), covered.contains(folder) else {
                kept.insert(relative)
                continue
            }
            let url = root.appendingPathComponent(relative)
            if unlink(url.path) == 0 || errno == ENOENT {
                summary.removed += 1
            } else {
                throw ExportError.outputFile(path: url.path, reason: String(cString: strerror(errno)))
            }
        }
        let manifest = try JSONEncoder().encode(Manifest(files: kept.sorted()))
        _ = try writeIfChanged(manifest, to: root.appendingPathComponent(manifestName))
        return summary
    }

    /// `questions/SLUG.md`; a slug that could name another folder is refused.
    static func fileName(for view: EntryView) throws -> String {
        let slug = view.slug
        guard !slug.isEmpty, slug.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }) else {
            throw ExportError.outputFile(path: slug, reason: "the slug is not a plain file name")
        }
        return section(view.kind) + "/" + slug + ".md"
    }

    /// The file's text: `---`, the YAML front matter, `---`, a blank line, the Markdown body.
    static func document(for view: EntryView, site: Site, pages: Set<String>, encoder: YAMLEncoder) throws -> String {
        let c = view.content
        let item = FeedItem(view, site: site)
        let scheduled = c.status == .approved ? c.schedule.publishAt.flatMap(Timestamp.parse) : nil
        func isPage(_ link: ResolvedLink) -> Bool { link.slug.map(pages.contains) ?? false }
        let external = (view.related + view.articles).filter { !isPage($0) }.compactMap { link in
            link.url.map { ExternalLink(title: link.title, url: $0) }
        }
        let front = FrontMatter(
            title: c.title,
            date: FeedDate.rfc3339(item.published ?? item.edited),
            lastmod: FeedDate.rfc3339(item.edited),
            publishDate: scheduled.map(FeedDate.rfc3339),
            expiryDate: c.schedule.expireAt.flatMap(Timestamp.parse).map(FeedDate.rfc3339),
            // A scheduled entry is no draft: Hugo itself holds it back until `publishDate`.
            draft: c.status != .published && scheduled == nil,
            slug: view.slug,
            summary: c.summary,
            images: c.imageURL.map { [$0] },
            aliases: alias(for: c.sourceURL, site: site).map { [$0] },
            related: nonEmpty(view.related.filter(isPage).compactMap(\.slug)),
            articles: nonEmpty(view.articles.filter(isPage).compactMap(\.slug)),
            external_links: external.isEmpty ? nil : external,
            pmcms: PMCMSParams(id: view.id, revision: view.revision, kind: view.kind.rawValue, status: c.status.rawValue, source_url: c.sourceURL))
        var yaml = try encoder.encode(front)
        if !yaml.hasSuffix("\n") { yaml += "\n" }
        let body = c.body.hasSuffix("\n") || c.body.isEmpty ? c.body : c.body + "\n"
        return "---\n" + yaml + "---\n\n" + body
    }

    private static func nonEmpty(_ list: [String]) -> [String]? { list.isEmpty ? nil : list }

    /// The path the page had on the site, so that Hugo redirects old links to the new page:
    /// only for a source on the site's own host, and not for a question that is a fragment of a
    /// page holding several (they share the page's path).
    static func alias(for source: String?, site: Site) -> String? {
        guard let source, let url = URL(string: source), url.fragment == nil,
              let siteURL = site.url.flatMap(URL.init(string:)), let host = url.host, host == siteURL.host
        else { return nil }
        let path = url.path
        guard path.count > 1 else { return nil }
        return path
    }

    /// DIR may be missing (it is created, but not its parents) or a folder; nothing else.
    static func prepareRoot(_ root: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw ExportError.outputFile(path: root.path, reason: "not a folder") }
            return
        }
        guard mkdir(root.path, 0o755) == 0 else {
            throw ExportError.outputFile(path: root.path, reason: "cannot create the folder: \(String(cString: strerror(errno)))")
        }
    }

    /// A section folder is created inside DIR; one that is a symbolic link (which could lead
    /// outside DIR) or not a folder is refused.
    static func prepareSection(_ folder: URL, root: URL) throws {
        var info = stat()
        if lstat(folder.path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ExportError.outputFile(path: folder.path, reason: "not a folder inside \(root.path) (a link or a file): pmcms writes only inside the export folder")
            }
            return
        }
        guard mkdir(folder.path, 0o755) == 0 else {
            throw ExportError.outputFile(path: folder.path, reason: "cannot create the folder: \(String(cString: strerror(errno)))")
        }
    }

    static func readManifest(_ root: URL) -> Manifest {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(manifestName)),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
        else { return Manifest(files: []) }
        // Only plain names inside a section: a manifest edited by hand cannot point elsewhere.
        return Manifest(files: manifest.files.filter { name in
            let parts = name.split(separator: "/")
            return parts.count == 2 && parts.allSatisfy { $0 != ".." && $0 != "." && !$0.isEmpty }
        })
    }

    /// Writes `data` to `url` through a temporary file renamed into place, unless the file
    /// already holds exactly these bytes.
    static func writeIfChanged(_ data: Data, to url: URL) throws -> Bool {
        var info = stat()
        if lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            // A link in the tree is replaced by the file, never written through.
            guard unlink(url.path) == 0 else {
                throw ExportError.outputFile(path: url.path, reason: String(cString: strerror(errno)))
            }
        } else if let existing = try? Data(contentsOf: url), existing == data {
            return false
        }
        try AtomicFile.write(to: url.path) { sink in
            try sink.write(data)
            try sink.flush()
        }
        return true
    }
}
