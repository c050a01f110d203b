import Exports
import Foundation
import PMCMS
import Testing

@Suite("Hostile content never reaches an export as markup")
struct HostileContentTests {
    static let markupFormats: [ExportFormat] = [.json, .ndjson, .rss, .atom, .jsonfeed, .faqJSONLD, .sitemap]

    /// No `<script` (nor any other tag from the hostile text) appears unescaped in the bytes of
    /// any markup-bearing format: XML escapes it, and the JSON exports are HTML-safe.
    ///
    /// CSV is not here: it has no markup to escape, a title is plain text, and the round trip
    /// test proves the cells hold exactly the stored text; its threat is formulas, neutralised.
    @Test("no unescaped markup", arguments: markupFormats, [StreamSelection.live, .head])
    func noUnescapedMarkup(format: ExportFormat, selection: StreamSelection) throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Fixture.export(Fixture.options(format) { $0.selection = selection }, from: store, in: folder)
        let text = String(decoding: data, as: UTF8.self).lowercased()
        #expect(!text.contains("<script"))
        #expect(!text.contains("</script"))
        #expect(!text.contains("<img"))
        #expect(text.contains("script"), "the hostile entry is in the export, escaped")
        guard [.json, .ndjson, .jsonfeed, .faqJSONLD].contains(format) else { return }
        // JSON's `\u003c` escaping alone would pass the checks above: the decoded values must
        // hold no markup either. The Markdown `body` is stored safe for any renderer, so raw
        // HTML in it reads as text (`&lt;script>`) and a script link has lost its destination.
        // Titles are plain text, not markup: a consumer escapes them like any text.
        let decoded = Self.strings(in: try Self.jsonValues(data), keys: ["body", "body_html", "content_html", "content_text", "text", "summary"])
        #expect(decoded.contains { $0.contains("alert(1)") }, "the hostile body is among the decoded values")
        for value in decoded {
            let lower = value.lowercased()
            #expect(!lower.contains("<script") && !lower.contains("<img") && !lower.contains("javascript:"), "\(value)")
        }
    }

    /// The export's JSON values: one document, or one per line for NDJSON.
    static func jsonValues(_ data: Data) throws -> [Any] {
        if let whole = try? JSONSerialization.jsonObject(with: data) { return [whole] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONSerialization.jsonObject(with: Data($0)) }
    }

    /// Where an export carries HTML (entry `body_html`, feed descriptions and content, FAQ
    /// answers), the decoded HTML itself holds no script, event handler or `javascript:` URL.
    @Test("the HTML carried is sanitised", arguments: [ExportFormat.json, .rss, .atom, .jsonfeed, .faqJSONLD])
    func carriedHTMLIsSanitised(format: ExportFormat) throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Fixture.export(Fixture.options(format), from: store, in: folder)
        let html: [String]
        switch format {
        case .rss:
            html = try ParsedXML(data).strings("//item/description")
        case .atom:
            html = try ParsedXML(data, namespaces: ["a": "http://www.w3.org/2005/Atom"]).strings("//a:content")
        default:
            html = Self.strings(in: try JSONSerialization.jsonObject(with: data), keys: ["body_html", "content_html", "text"])
        }
        #expect(html.count >= 3)
        for fragment in html {
            let lower = fragment.lowercased()
            // The hostile text may read "onerror" as words; no tag may carry an event handler.
            #expect(!lower.contains("<script") && !lower.contains("<img") && !lower.contains("javascript:"), "\(fragment)")
            #expect(lower.firstMatch(of: #/<[^>]*\son[a-z]+\s*=/#) == nil, "\(fragment)")
        }
        #expect(html.contains { $0.contains("é ü ñ 😀") }, "accents and emoji survive")
    }

    static func strings(in value: Any, keys: Set<String>) -> [String] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, value in
                keys.contains(key) ? [value as? String].compactMap { $0 } : strings(in: value, keys: keys)
            }
        }
        if let array = value as? [Any] { return array.flatMap { strings(in: $0, keys: keys) } }
        return []
    }
}
