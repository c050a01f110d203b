import Foundation
import Imports
import PMCMS

/// libFuzzer calls this once per input. Besides crashes, hangs and memory errors (which the
/// sanitizers report), it traps when an invariant the importer promises is broken: whatever the
/// bytes, no script, event handler or `javascript:` URL comes out of extraction, and the
/// Markdown it makes renders to HTML without them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImports(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let pageURL = "https://www.example.org/faq/fuzzed-page"

    // Extraction: any bytes in, a page or a typed error out.
    if let page = try? Extractor.extract(bytes, pageURL: pageURL) {
        for question in page.questions {
            check(question.title, "question title")
            checkMarkdown(question.answerMarkdown, "answer")
            question.related.forEach { checkURL($0.url) }
            question.articles.forEach { checkArticle($0) }
        }
        page.related.forEach { checkURL($0.url) }
        page.articles.forEach { checkArticle($0) }
        if let article = page.article { checkArticle(article) }
    }

    // HTML → Markdown on the same bytes read as UTF-8 (with replacement characters).
    let markdown = HTMLMarkdown.convert(String(decoding: bytes, as: UTF8.self), pageURL: pageURL)
    checkMarkdown(markdown, "converted Markdown")
    return 0
}

/// Plain text that is about to be stored must not carry markup (words like "javascript:" may
/// stay: as text they are inert).
private func check(_ text: String, _ what: String) {
    if text.lowercased().contains("<script") {
        fatalError("\(what) carries a script tag: \(text.prefix(200))")
    }
}

private func checkArticle(_ article: ExtractedArticle) {
    check(article.title, "article title")
    if let summary = article.summary { check(summary, "article summary") }
    if let body = article.bodyMarkdown { checkMarkdown(body, "article body") }
    if let url = article.url { checkURL(url) }
    if let image = article.imageURL { checkURL(image) }
}

/// Every address the extractor keeps is a web, mail or phone address (by its scheme: a
/// malformed but http(s) address such as `https:/-x.example.org` is harmless).
private func checkURL(_ url: String) {
    let lower = url.lowercased()
    guard lower.hasPrefix("http:") || lower.hasPrefix("https:") || lower.hasPrefix("mailto:") || lower.hasPrefix("tel:") else {
        fatalError("unsafe or relative address kept: \(url.prefix(200))")
    }
}

/// Markdown must not carry an unsafe link, and its HTML (as the exports render it) no script,
/// event handler or `javascript:` URL.
private func checkMarkdown(_ markdown: String, _ what: String) {
    // `\<script` is Markdown for the text "<script": inert (page text such as "&lt;script").
    check(markdown.replacingOccurrences(of: "\\<", with: ""), what)
    let html = Markdown.html(markdown).lowercased()
    // Handlers are looked for among attribute names only: an alt text may say "onload=" (its
    // `<` escaped), which is inert inside the quoted value.
    let tags = html.replacingOccurrences(of: #""[^"]*""#, with: "\"\"", options: .regularExpression)
    if html.contains("<script") || html.contains("href=\"javascript:") || html.contains("src=\"javascript:")
        || tags.range(of: #"<[a-z][^>]*\son[a-z]+\s*="#, options: .regularExpression) != nil {
        fatalError("\(what) renders to active HTML: \(html.prefix(300))")
    }
}
