import Foundation

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
                    let key: String? = try db.fetchValue("SELECT slug FROM entry WHERE import_key = \(ref)")
                    if key == nil { warnings.append("'\(ref)' is not an entry yet: kept as a URL, it resolves when that page is imported") }
                    links.append(LinkRef(title: ref, url: ref, slug: key))
                } else {
                    throw StoreError.unknownEntry(ref: ref)
                }
            }
            return (links, warnings)
        }
    }

    /// The links a person typed as refs, one per item, where the links were shown as their
    /// `editingRef`s (the editor's front matter, the review desk's form): a ref that names a
    /// link of the entry as shown (`shown`, the resolved form of `stored`) stays exactly the
    /// link as stored, so an untouched link keeps its title and URL even when it is unresolved;
    /// any other ref goes through `linkRefs(_:)`. Blank refs are skipped.
    /// Returns the links and `linkRefs`' warnings; throws `StoreError.unknownEntry` for a ref
    /// that is neither an entry nor an http(s) URL.
    public func editedLinks(_ refs: [String], stored: [LinkRef], shown: [ResolvedLink]) throws -> (links: [LinkRef], warnings: [String]) {
        var known: [String: LinkRef] = [:]
        for (link, resolved) in zip(stored, shown) {
            for key in [resolved.slug, resolved.url, link.editingRef].compactMap({ $0 }) where known[key] == nil {
                known[key] = link
            }
        }
        var links: [LinkRef] = []
        var warnings: [String] = []
        for raw in refs {
            let ref = raw.trimmingCharacters(in: .whitespaces)
            if ref.isEmpty { continue }
            if let link = known[ref] {
                links.append(link)
            } else {
                let (resolved, found) = try linkRefs([ref])
                links += resolved
                warnings += found
            }
        }
        return (links, warnings)
    }
}

extension LinkRef {
    /// How a person edits this link as text: its entry's slug, else its URL, else its title.
    public var editingRef: String { slug ?? url ?? title }
}

extension ResolvedLink {
    /// How a person edits this link as text (see `LinkRef.editingRef`).
    public var editingRef: String { slug ?? url ?? title }
}
