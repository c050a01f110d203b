import CCmarkGFM
import Foundation

/// Markdown → HTML through cmark-gfm with the table, strikethrough and autolink extensions.
///
/// cmark's default options are safe: raw HTML and `javascript:` links are omitted, never passed
/// through, so imported or edited text cannot smuggle markup into an export.
public enum Markdown {
    private static let extensionsRegistered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Renders `markdown` as an HTML fragment.
    public static func html(_ markdown: String) -> String {
        guard let parser = parser() else { return "" }
        defer { cmark_parser_free(parser) }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser)) else {
            return ""
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// A parser with the extensions attached; the caller frees it.
    static func parser() -> OpaquePointer? {
        guard extensionsRegistered, let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return nil }
        for name in ["table", "strikethrough", "autolink"] {
            if let syntax = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntax)
            }
        }
        return parser
    }
}
