import Mustache
import PMCMS
import Testing
@testable import Web

/// The templates' escaping (`HTMLEscaping`): the five characters that end a text or an attribute
/// become entities wherever they stand, and everything else is left as it was.
@Suite struct HTMLEscapingTests {
    /// A quote followed by a combining mark is one grapheme cluster.
    static let quoteWithMark = "x\"\u{301} autofocus onfocus=alert(1) y"

    @Test func aQuoteFollowedByACombiningMarkIsEscaped() throws {
        // Mustache's own escaping, for comparison: it looks whole characters up, and the quote
        // with its mark is not in its table, so the attribute ends there.
        let plain = try MustacheTemplate(string: #"<a title="{{x}}">"#)
        let theirs = plain.render(["x": Self.quoteWithMark])
        let raw = "x\"\u{301} autofocus", escaped = "x&quot;\u{301} autofocus onfocus=alert(1) y"
        #expect(theirs.contains(raw), "Mustache's escaping still lets it through (else this test is moot)")

        let ours = HTMLEscaping().escapeText(Self.quoteWithMark)
        #expect(ours == escaped)
        #expect(!ours.utf8.contains(UInt8(ascii: "\"")))
    }

    @Test func thePagesEscapeWithIt() throws {
        // Through the desk's own templates: a page's title with the quote and mark.
        let renderer = try Renderer.shared.get()
        let html = try renderer.page("message", MessagePage(heading: Self.quoteWithMark, text: "<b>&'", back: "/"),
                                     title: Self.quoteWithMark, section: .other)
        let raw = "x\"\u{301}", escaped = "x&quot;\u{301} autofocus"
        #expect(!html.contains(raw))
        #expect(html.contains(escaped))
        #expect(html.contains("&lt;b&gt;&amp;&#39;"))
    }

    @Test func itAgreesWithMustacheWhereMustacheIsRight() throws {
        let plain = try MustacheTemplate(string: "{{x}}")
        let samples = [
            "", "plain words", "Ünïcödé café", "emoji 👩🏽‍💻 and flags 🇬🇧", "<script>alert('x')</script>",
            "a & b && c", "\"quoted\" and 'single'", "ends with <", "&amp; already", "tab\tand\nnewline",
            "<<>>&&\"\"''", "日本語のテキスト", "\u{0}nul", "mixed <é> & \"ü\"",
        ]
        for sample in samples {
            #expect(HTMLEscaping().escapeText(sample) == plain.render(["x": sample]), "\(sample)")
        }
    }
}
