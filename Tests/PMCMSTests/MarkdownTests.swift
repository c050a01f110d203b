import Testing
@testable import PMCMS

@Suite("Markdown")
struct MarkdownTests {
    @Test("paragraphs, emphasis and links")
    func basics() {
        #expect(Markdown.html("A *PMO* leads [projects](https://example.org).") ==
            "<p>A <em>PMO</em> leads <a href=\"https://example.org\">projects</a>.</p>\n")
    }

    @Test("GFM tables, strikethrough and autolinks")
    func extensions() {
        let table = Markdown.html("| a | b |\n|---|---|\n| 1 | 2 |\n")
        #expect(table.contains("<table>") && table.contains("<td>1</td>"))
        #expect(Markdown.html("~~old~~") == "<p><del>old</del></p>\n")
        #expect(Markdown.html("see https://example.org now").contains("<a href=\"https://example.org\">"))
    }

    @Test("raw HTML and javascript: links never pass through")
    func safeByDefault() {
        let html = Markdown.html("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)> [x](javascript:alert(1))")
        #expect(!html.contains("<script"))
        #expect(!html.contains("onerror"))
        #expect(!html.contains("javascript:"))
    }

    @Test("timestamps parse in the forms the store accepts")
    func timestamps() {
        #expect(Timestamp.parse("2026-06-09") != nil)
        #expect(Timestamp.parse("2026-06-09T10:00:00Z") != nil)
        #expect(Timestamp.parse("2026-06-09T10:00:00+02:00") == Timestamp.parse("2026-06-09T08:00:00Z"))
        #expect(Timestamp.parse("2026-02-30") == nil)
        #expect(Timestamp.parse("09 Jun 2026") == nil)
        #expect(Timestamp.format(Timestamp.parse("2026-06-09T10:00:00Z")!) == "2026-06-09T10:00:00Z")
    }
}
