import Foundation

/// Converts HTML to sanitized Markdown: only text, structure and safe http(s)/mailto/tel links
/// and images survive; scripts, styles, embedded documents, forms, site chrome, cookie banners,
/// attributes and unsafe URLs never reach the output.
public enum HTMLMarkdown {
    /// Converts an HTML fragment or page; relative links resolve against `pageURL` when it is an
    /// absolute http(s) address (a `<base href>` counts only on the same host).
    public static func convert(_ html: String, pageURL: String? = nil) -> String {
        let bytes = Array(html.utf8)
        guard !bytes.isEmpty, let document = HTMLDocument(bytes: bytes, encoding: "UTF-8") else { return "" }
        return document.withNodes { document in
            let baseHref = document.nodes("//base[@href]").first?.attribute("href")
            let converter = MarkdownConverter(resolver: URLResolver(pageURL: pageURL, baseHref: baseHref))
            guard let body = document.body else { return "" }
            return converter.markdown(of: body.children)
        }
    }
}
