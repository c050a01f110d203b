import Testing
import PMCMS

/// `TextLines` splits bytes when a text has no CR; that must give the lines splitting
/// Characters gives (the definition), including next to combining marks and emoji.
@Suite("Text lines")
struct TextLinesTests {
    @Test func byteSplittingAgreesWithCharacterSplitting() {
        let pieces = ["a", "é", "e\u{301}", "\u{301}", "😀", "👩‍👩‍👧", "\n", "\n\n", " ", "\u{200D}", "x\n\u{308}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            var expected = text.split(separator: "\n", omittingEmptySubsequences: false)
            if text.hasSuffix("\n") { expected.removeLast() }
            if text.isEmpty { expected = [] }
            #expect(TextLines(text).lines == expected, "\(text.debugDescription)")
        }
    }

    @Test func crlfStaysOneLineBreakCharacter() {
        // "\r\n" is one Character, not "\n": the Character-level definition keeps it in the line.
        #expect(TextLines("a\r\nb\nc").lines == ["a\r\nb", "c"])
    }
}
