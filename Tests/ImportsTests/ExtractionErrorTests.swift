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

    @Test func deeplyNestedMarkupDoesNotCrash() throws {
        let nestings = [
            ("<div>", "</div>"), ("<b>", "</b>"), ("<ul><li>", "</li></ul>"), ("<blockquote>", "</blockquote>"),
            ("<table><tr><td>", "</td></tr></table>"), ("<details><summary>Q?</summary>", "</details>"), ("<span><em>", "</em></span>"),
        ]
        for (open, close) in nestings {
            let depth = 20_000
            let html = "<html><body><h1>Deep?</h1>" + String(repeating: open, count: depth) + "deep text" + String(repeating: close, count: depth) + "</body></html>"
            let page = try Extractor.extract(Array(html.utf8), pageURL: nil)
            // The page is the question "Deep?" answered by the deep text. Today libxml2's depth
            // cap drops what is nested past 256 levels, so most of these come out as something
            // else: issue 14 item 8, fixed elsewhere; the known issue ends when it is.
            withKnownIssue("issue 14.8: libxml2's depth cap drops deeply nested text", isIntermittent: true) {
                #expect(page.questions.first?.title == "Deep?", "the question of a page nested in \(open)")
                #expect(page.questions.first?.answerMarkdown.contains("deep text") == true, "the answer nested in \(open)")
            }
            #expect(!page.questions.isEmpty || page.article != nil, "no crash, and something came out for nested \(open)")
        }
    }

    @Test func deepDateLinesAndHugeListsAreRead() throws {
        let deep = "<body><h1>Deep date?</h1><p>Answer.</p>" + String(repeating: "<span>", count: 20_000) + "Updated 2026-01-02" + "</body>"
        // libxml2 stops building the tree at its depth limit; what matters is that nothing crashes.
        #expect(try Extractor.extract(Array(deep.utf8), pageURL: nil).questions.first?.answerMarkdown == "Answer.")
        let items = (0..<20_000).map { "<li><a href=\"/faq/q\($0)\">Question \($0)?</a></li>" }.joined()
        let wide = "<body><h1>Wide?</h1><p>Answer.</p><ul>\(items)</ul></body>"
        let page = try Extractor.extract(Array(wide.utf8), pageURL: "https://www.example.org/faq/wide")
        #expect(page.questions.first?.related.count == 20_000)
        #expect(page.questions.first?.related.last?.url == "https://www.example.org/faq/q19999")
    }

    @Test func textWithoutMarkupIsAnArticle() throws {
        let page = try Extractor.extract(Array("Just a line of plain text that someone saved as .html by mistake.".utf8), pageURL: nil)
        #expect(page.article?.title.hasPrefix("Just a line of plain text") == true)
    }
}
