import Foundation
import PMCMS

/// A column of `export csv`, in the order of "The entry object".
public enum CSVColumn: String, Sendable, CaseIterable {
    case id, slug, kind, status, title, body, summary
    case imageURL = "image_url"
    case sourceURL = "source_url"
    case editedAt = "edited_at"
    case createdAt = "created_at"
    case updatedAt = "updated_at"
    case publishedAt = "published_at"
    case revision

    /// The cell of this column for `entry`; absent values are empty cells.
    func value(_ entry: EntryView) -> String {
        let c = entry.content
        switch self {
        case .id: return String(entry.id)
        case .slug: return entry.slug
        case .kind: return entry.kind.rawValue
        case .status: return c.status.rawValue
        case .title: return c.title
        case .body: return c.body
        case .summary: return c.summary ?? ""
        case .imageURL: return c.imageURL ?? ""
        case .sourceURL: return c.sourceURL ?? ""
        case .editedAt: return c.editedAt ?? ""
        case .createdAt: return entry.header.createdAt
        case .updatedAt: return entry.header.updatedAt
        case .publishedAt: return c.publishedAt ?? ""
        case .revision: return String(entry.revision)
        }
    }

    /// Parses `--columns a,b,c`: known names, each once, at least one.
    public static func parseList(_ text: String) throws -> [CSVColumn] {
        var columns: [CSVColumn] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let name = part.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            guard let column = CSVColumn(rawValue: name) else { throw ExportError.unknownColumn(name) }
            guard !columns.contains(column) else { throw ExportError.duplicateColumn(name) }
            columns.append(column)
        }
        guard !columns.isEmpty else { throw ExportError.noColumns }
        return columns
    }
}

/// `export csv`: a header row, then one row per entry; RFC 4180, UTF-8, CRLF.
struct CSVExportWriter: EntryWriter {
    let sink: OutputSink
    let columns: [CSVColumn]
    let bom: Bool
    let raw: Bool
    /// The record being built, reused from row to row.
    private var record: [UInt8] = []

    init(sink: OutputSink, columns: [CSVColumn], bom: Bool, raw: Bool) {
        self.sink = sink
        self.columns = columns
        self.bom = bom
        self.raw = raw
    }

    mutating func begin() throws {
        if bom { try sink.write(Data([0xEF, 0xBB, 0xBF])) }
        try sink.write(CSV.record(columns.map(\.rawValue)))
    }

    mutating func write(_ entry: StreamedEntry) throws {
        let cells = columns.map { column in
            let value = column.value(entry.view)
            return raw ? value : CSV.neutralised(value)
        }
        record.removeAll(keepingCapacity: true)
        CSV.appendRecord(cells, to: &record)
        try record.withUnsafeBufferPointer { try sink.write(bytes: $0) }
    }

    mutating func end() throws {}
}
