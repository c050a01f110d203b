/// Why a page could not be read at all; each description says what is wrong and what to do.
public enum ExtractionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file has no bytes, or only whitespace.
    case empty
    /// The file holds NUL bytes or mostly control characters: an image, archive or similar.
    case binary
    /// The file is larger than the import limit.
    case tooLarge(bytes: Int, limit: Int)
    /// libxml2 could not build any document from the bytes.
    case unparseable
    /// The text does not start like an HTML document (Markdown, plain text, JSON, a feed…);
    /// `start` is its first line, shortened.
    case notHTML(start: String)
    /// Elements nest deeper than pmcms reads (`limit`); reading on would risk dropping text.
    case tooDeep(limit: Int)

    public var description: String {
        switch self {
        case .empty:
            return "the file is empty: nothing to import (re-save or re-scrape the page)"
        case .binary:
            return "the file is not text (it contains NUL or control bytes, e.g. an image or archive): only HTML pages can be imported"
        case .tooLarge(let bytes, let limit):
            return "the file is \(bytes) bytes, over the \(limit)-byte limit: raise it with --max-size if the page is genuine"
        case .unparseable:
            return "the file could not be parsed as HTML: check that it is a web page"
        case .notHTML(let start):
            return "the file is not an HTML page (it starts \"\(start)\", not with a tag such as <!DOCTYPE html> or <html>): only HTML pages are imported"
        case .tooDeep(let limit):
            return "the page nests elements more than \(limit) deep (unclosed tags?), more than pmcms reads: fix the markup and import it again"
        }
    }
}
