import Exports
import Foundation
import PMCMS
import Testing

@Suite("Golden files of every format")
struct GoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let options: ExportOptions
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "export.json", options: Fixture.options(.json)),
        Case(file: "export-all-history.json", options: Fixture.options(.json) { $0.selection = .head; $0.withHistory = true }),
        Case(file: "export.ndjson", options: Fixture.options(.ndjson)),
        Case(file: "export.csv", options: Fixture.options(.csv)),
        Case(file: "export-bom-columns-raw.csv", options: Fixture.options(.csv) {
            $0.bom = true
            $0.raw = true
            $0.columns = [.title, .id, .summary]
            $0.columnsGiven = true
        }),
        Case(file: "feed.xml", options: Fixture.options(.rss)),
        Case(file: "atom.xml", options: Fixture.options(.atom)),
        Case(file: "feed.json", options: Fixture.options(.jsonfeed)),
        Case(file: "faq.jsonld", options: Fixture.options(.faqJSONLD)),
        Case(file: "sitemap.xml", options: Fixture.options(.sitemap)),
    ]

    @Test("matches its golden file", arguments: cases)
    func golden(_ testCase: Case) throws {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Fixture.export(testCase.options, from: store, in: folder)
        try Golden.check(data, testCase.file)
    }
}
