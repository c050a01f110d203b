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
    ///
    /// With `baseURL`, for HTML read away from the site (feeds): relative link and image URLs
    /// are resolved against it, and a link without a destination (`[text](<>)`, what the store
    /// leaves of a script link) becomes its text.
    public static func html(_ markdown: String, baseURL: String? = nil) -> String {
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
        if let baseURL, let base = URL(string: baseURL) { resolveLinks(in: document, against: base) }
        guard let rendered = cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser)) else {
            return ""
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    private static func resolveLinks(in document: OpaquePointer, against base: URL) {
        var links: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(document) else { return }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            if let node = cmark_iter_get_node(iterator), cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
               [CMARK_NODE_LINK, CMARK_NODE_IMAGE].contains(cmark_node_get_type(node)) {
                links.append(node)
            }
        }
        cmark_iter_free(iterator)
        for node in links {
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            if url.isEmpty && cmark_node_get_type(node) == CMARK_NODE_LINK {
                // Keep the words, drop the link: move the children out, then the empty link goes.
                while let child = cmark_node_first_child(node) { _ = cmark_node_insert_before(node, child) }
                cmark_node_unlink(node)
                cmark_node_free(node)
            } else if !url.isEmpty, URL(string: url)?.scheme == nil, let absolute = URL(string: url, relativeTo: base)?.absoluteString {
                _ = cmark_node_set_url(node, absolute)
            }
        }
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
