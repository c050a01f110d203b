/// The page's `<meta>` values (Open Graph, Twitter, plain `name`, microdata `itemprop`) by
/// lowercase key, the first occurrence winning.
struct MetaTags {
    private var values: [String: String] = [:]

    init(document: HTMLDocument) {
        for meta in document.nodes("//meta") {
            guard let content = meta.attribute("content")?.trimmingCharacters(in: .whitespacesAndNewlines), !content.isEmpty else { continue }
            for key in [meta.attribute("property"), meta.attribute("name"), meta.attribute("itemprop")].compactMap({ $0 }) {
                let normalized = key.lowercased().trimmingCharacters(in: .whitespaces)
                if values[normalized] == nil { values[normalized] = content }
            }
        }
    }

    /// The first of `keys` present.
    func first(_ keys: String...) -> String? {
        for key in keys { if let value = values[key] { return value } }
        return nil
    }
}
