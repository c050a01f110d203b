public import PMCMS  // exports a ContentStore, with its types (Kind, SettingKey, StreamSelection)

/// Why an export could not be written, each with what to do about it.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    case missingSettings(format: ExportFormat, keys: [SettingKey])
    case unknownColumn(String)
    case duplicateColumn(String)
    case noColumns
    case unsupportedOption(format: ExportFormat, option: String)
    case xmlWriter(step: String)
    case writeFailed(reason: String)
    case outputFile(path: String, reason: String)
    case badPostType(String)
    case notAStream(format: ExportFormat)

    public var description: String {
        switch self {
        case .missingSettings(let format, let keys):
            let commands = keys.map { "`pmcms config \($0.rawValue) \(Self.example(for: $0))`" }
            return "export \(format.rawValue) needs \(keys.map(\.rawValue).joined(separator: " and ")): set \(keys.count == 1 ? "it" : "them") with \(commands.joined(separator: " and "))"
        case .unknownColumn(let name):
            return "unknown CSV column '\(name)' (columns: \(CSVColumn.allCases.map(\.rawValue).joined(separator: ",")))"
        case .duplicateColumn(let name):
            return "CSV column '\(name)' is listed twice in --columns"
        case .noColumns:
            return "--columns needs at least one column (columns: \(CSVColumn.allCases.map(\.rawValue).joined(separator: ",")))"
        case .unsupportedOption(let format, let option):
            return "\(option) does not apply to export \(format.rawValue) (\(Self.optionHint(option)))"
        case .xmlWriter(let step):
            return "libxml2 could not write the XML (\(step))"
        case .writeFailed(let reason):
            return "could not write the export: \(reason)"
        case .outputFile(let path, let reason):
            return "could not write \(path): \(reason)"
        case .notAStream(let format):
            return "export \(format.rawValue) writes a folder: name it (`pmcms export \(format.rawValue) DIR`)"
        case .badPostType(let name):
            return "--post-type '\(name)' is not a WordPress post type name (1 to 20 characters: a-z, 0-9, - and _)"
        }
    }

    private static func example(for key: SettingKey) -> String {
        switch key {
        case .siteTitle: "'My PM FAQ'"
        case .siteURL: "https://www.example.org"
        case .siteDescription: "'What the site is about'"
        case .siteLanguage: "en"
        case .feedLimit: "50"
        case .feedURL: "https://www.example.org/feed.xml"
        case .reviewSelfApprove: "false"
        }
    }

    private static func optionHint(_ option: String) -> String {
        switch option {
        case "--with-history": "it applies to json and ndjson"
        case "--bom", "--columns", "--raw": "it applies to csv"
        case "--post-type": "it applies to wxr"
        case "--since": "a Hugo tree holds every exported entry, and a re-export updates only the files that changed"
        case "--kind article": "faq-jsonld holds questions only"
        default: "see `pmcms export --help`"
        }
    }
}
