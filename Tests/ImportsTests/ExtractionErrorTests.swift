import Foundation
import Testing
@testable import Imports

/// Files that are not pages get a clear error; pathological pages do not crash.
@Suite struct ExtractionErrorTests {
    @Test func emptyFile() throws {
        #expect(throws: ExtractionError.empty) { try Extractor.extract(try Fixtures.bytes("bad/empty.html"), pageURL: nil) }
        #expect(throws: ExtractionError.empty) { try Extractor.extract(Array(" \n\t\r\n ".utf8), pageURL: nil) }
        #expect(throws: ExtractionError.empty) { try Extractor.extract([0xEF, 0xBB, 0xBF, 0x0A], pageURL: nil) }
    }

    @Test func binaryFile() throws {
        #expect(throws: ExtractionError.binary) { try Extractor.extract(try Fixtures.bytes("bad/binary.html"), pageURL: nil) }
        let controlHeavy = [UInt8](repeating: 0x01, count: 50) + Array("<p>text</p>".utf8)
        #expect(throws: ExtractionError.binary) { try Extractor.extract(controlHeavy, pageURL: nil) }
    }

    @Test func oversizedFile() throws {
        let bytes = try Fixtures.bytes(Fixtures.seedPath)
        #expect(throws: ExtractionError.tooLarge(bytes: bytes.count, limit: 1000)) {
            try Extractor.extract(bytes, pageURL: nil, maxSize: 1000)
        }
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: Extractor.defaultMaxSize + 1)
        #expect(throws: ExtractionError.tooLarge(bytes: big.count, limit: 20_000_000)) { try Extractor.extract(big, pageURL: nil) }
    }

    @Test func descriptionsSayWhatIsWrongAndWhatToDo() {
        #expect(ExtractionError.empty.description.contains("empty"))
        #expect(ExtractionError.binary.description.contains("not text"))
        #expect(ExtractionError.tooLarge(bytes: 30, limit: 20).description.contains("--max-size"))
        #expect(ExtractionError.unparseable.description.contains("HTML"))
    }

    @Test func deeplyNestedMarkupKeepsItsTextUpToTheBoundAndIsRefusedByNameBeyondIt() throws {
        let nestings = [
            ("<div>", "</div>"), ("<b>", "</b>"), ("<ul><li>", "</li></ul>"), ("<blockquote>", "</blockquote>"),
            ("<table><tr><td>", "</td></tr></table>"), ("<details><summary>Q?</summary>", "</details>"), ("<span><em>", "</em></span>"),
        ]
        for (open, close) in nestings {
            let tags = open.filter { $0 == "<" }.count
            func page(_ depth: Int) -> [UInt8] {
                Array(("<html><body><h1>Deep?</h1>" + String(repeating: open, count: depth) + "deep text"
                    + String(repeating: close, count: depth) + "<p>after the nesting</p></body></html>").utf8)
            }
            // Within the bound (and well past libxml2's own cap of 256), nothing is lost.
            let kept = try Extractor.extract(page(1_000 / tags), pageURL: nil)
            let text = kept.questions.first?.answerMarkdown ?? kept.article?.bodyMarkdown ?? ""
            #expect(text.contains("deep text") && text.contains("after the nesting"), "nested \(open): \(text.suffix(80))")
            #expect(throws: ExtractionError.tooDeep(limit: Extractor.maxDepth), "nested \(open)") {
                try Extractor.extract(page(20_000), pageURL: nil)
            }
        }
    }

    /// 300 unclosed `<font>` tags: libxml2's default cap (256) dropped the answer and the date.
    @Test func unclosedFontTagsKeepTheAnswerAndTheDate() throws {
        let html = "<html><body><h1>Is deep markup read?</h1>" + String(repeating: "<font size=2>", count: 300)
            + "<p>The answer under three hundred font tags.</p><p>Last edited on: 09 Jun 2026</p></body></html>"
        let question = try #require(try Extractor.extract(Array(html.utf8), pageURL: nil).questions.first)
        #expect(question.answerMarkdown.contains("The answer under three hundred font tags."))
        #expect(question.editedAt == "2026-06-09")
    }

    @Test func deepDateLinesAndHugeListsAreRead() throws {
        let deep = "<body><h1>Deep date?</h1><p>Answer.</p>" + String(repeating: "<span>", count: 20_000) + "Updated 2026-01-02" + "</body>"
        #expect(throws: ExtractionError.tooDeep(limit: Extractor.maxDepth)) { try Extractor.extract(Array(deep.utf8), pageURL: nil) }
        let items = (0..<20_000).map { "<li><a href=\"/faq/q\($0)\">Question \($0)?</a></li>" }.joined()
        let wide = "<body><h1>Wide?</h1><p>Answer.</p><ul>\(items)</ul></body>"
        let page = try Extractor.extract(Array(wide.utf8), pageURL: "https://www.example.org/faq/wide")
        #expect(page.questions.first?.related.count == 20_000)
        #expect(page.questions.first?.related.last?.url == "https://www.example.org/faq/q19999")
    }

    /// Only HTML is imported, whatever the file is called: decided by how the text starts.
    @Test func textMarkdownAndFeedsAreNotHTML() throws {
        for (text, start) in [
            ("Just a line of plain text that someone saved as .html by mistake.", "Just a line of plain text that someone s…"),
            ("# pmcms\n\nA versioned content store, with <b>bold</b> words.\n", "# pmcms"),
            ("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Feed</title></channel></rss>", "<?xml version=\"1.0\"?>"),
            ("{\"title\": \"<p>json</p>\"}", "{\"title\": \"<p>json</p>\"}"),
        ] {
            #expect(throws: ExtractionError.notHTML(start: start)) { try Extractor.extract(Array(text.utf8), pageURL: nil) }
        }
        // Pages that start with a comment, an XML declaration or a bare fragment are HTML.
        for page in [
            "<!-- saved by a crawler -->\n<!DOCTYPE html><html><body><h1>Q?</h1><p>A.</p></body></html>",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>Q?</h1><p>A.</p></body></html>",
            "\n\n<div><h1>Q?</h1><p>A.</p></div>",
        ] {
            #expect(throws: Never.self) { try Extractor.extract(Array(page.utf8), pageURL: nil) }
        }
    }
}
