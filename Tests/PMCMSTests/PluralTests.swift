import Testing
@testable import PMCMS

/// The one pluralisation helper every message uses.
@Suite("Plural")
struct PluralTests {
    @Test("Plural.count: one noun, the plural for every other count")
    func plural() {
        #expect(Plural.count(1, "page") == "1 page")
        #expect(Plural.count(0, "page") == "0 pages")
        #expect(Plural.count(2, "unchanged file") == "2 unchanged files")
        #expect(Plural.count(1, "entry", plural: "entries") == "1 entry")
        #expect(Plural.count(3, "entry", plural: "entries") == "3 entries")
    }
}
