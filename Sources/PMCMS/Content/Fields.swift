import Foundation
import GRDB

/// The fields an editor may set by name (`FIELD=VALUE` assignments, the editor's front matter).
public enum EditableField: String, Sendable, CaseIterable {
    case title, body, summary
    case imageURL = "image_url"
    case sourceURL = "source_url"
    case editedAt = "edited_at"
    case related, articles

    /// Parses `FIELD=VALUE`; the value may be empty (which clears an optional field).
    public static func parseAssignment(_ text: String) throws -> (EditableField, String) {
        guard let equals = text.firstIndex(of: "=") else {
            throw StoreError.notAnAssignment(text: text)
        }
        let name = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        guard let field = EditableField(rawValue: name) else {
            throw StoreError.unknownField(name: name)
        }
        return (field, String(text[text.index(after: equals)...]))
    }

    public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension Content {
    /// Sets a scalar field from text; an empty value clears an optional field.
    /// Links are set through `ContentStore.linkRefs(_:)`, which needs the store.
    public mutating func set(_ field: EditableField, to value: String) throws {
        let optional: String? = value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : value
        switch field {
        case .title: title = value.trimmingCharacters(in: .whitespacesAndNewlines)
        case .body: body = value
        case .summary: summary = optional
        case .imageURL: imageURL = optional?.trimmingCharacters(in: .whitespaces)
        case .sourceURL: sourceURL = optional?.trimmingCharacters(in: .whitespaces)
        case .editedAt: editedAt = optional?.trimmingCharacters(in: .whitespaces)
        case .related, .articles:
            throw StoreError.linksNeedAList(field: field)
        }
    }
}

extension ContentStore {
    /// Turns slugs, ids or URLs into links: an entry the store knows is linked by slug with its
    /// title; an unknown URL is kept as a URL (it resolves when that page is imported).
    /// Returns the links and a warning for each ref that matched no entry.
    public func linkRefs(_ refs: [String]) throws -> (links: [LinkRef], warnings: [String]) {
        try read { db in
            var links: [LinkRef] = []
            var warnings: [String] = []
            for raw in refs {
                let ref = raw.trimmingCharacters(in: .whitespaces)
                if ref.isEmpty { continue }
                if let header = try? Self.resolve(db, ref: ref) {
                    let content = try Self.fetchContent(db, entryID: header.id, number: header.head)
                    links.append(LinkRef(title: content.title, url: content.sourceURL, slug: header.slug))
                } else if URLCheck.isAbsoluteWebURL(ref) {
                    let key = try String.fetchOne(db, sql: "SELECT slug FROM entry WHERE import_key = ?", arguments: [ref])
                    if key == nil { warnings.append("'\(ref)' is not an entry yet: kept as a URL, it resolves when that page is imported") }
                    links.append(LinkRef(title: ref, url: ref, slug: key))
                } else {
                    throw StoreError.unknownEntry(ref: ref)
                }
            }
            return (links, warnings)
        }
    }
}
