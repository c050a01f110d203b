import Exports
import Foundation
import PMCMS
import Testing

@Suite("CSV: RFC 4180, formula neutralising, round trip through sqlite3")
struct CSVTests {
    @Test func quotingFollowsRFC4180() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("") == "")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field(#"say "hi""#) == #""say ""hi""""#)
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field("cr\rhere") == "\"cr\rhere\"")
        #expect(CSV.record(["1", "a,b", ""]) == "1,\"a,b\",\r\n")
    }

    @Test func formulaPrefixesAreNeutralised() {
        for value in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            #expect(CSV.neutralised(value) == "'" + value)
        }
        for value in ["1", "a=b", "", "é", "'=already"] {
            #expect(CSV.neutralised(value) == value)
        }
    }

    @Test func columnsAreValidated() throws {
        #expect(try CSVColumn.parseList("id, title,edited_at") == [.id, .title, .editedAt])
        #expect(throws: ExportError.unknownColumn("nope")) { try CSVColumn.parseList("id,nope") }
        #expect(throws: ExportError.duplicateColumn("id")) { try CSVColumn.parseList("id,slug,id") }
        #expect(throws: ExportError.noColumns) { try CSVColumn.parseList(" , ") }
        #expect(CSVColumn.allCases.map(\.rawValue) == [
            "id", "slug", "kind", "status", "title", "body", "summary", "image_url", "source_url", "edited_at",
            "created_at", "updated_at", "published_at", "revision",
        ])
    }

    func roundTrip(_ options: ExportOptions) throws -> (raw: Data, rows: [[String: String]]) {
        let (store, folder) = try Fixture.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Fixture.export(options, from: store, in: folder)
        let file = folder.appendingPathComponent("export.csv")
        try data.write(to: file)
        return (data, try Tools.sqliteImport(csv: file.path))
    }

    @Test func roundTripsThroughSQLiteWithMultiLineAndQuotedCellsIntact() throws {
        let (raw, rows) = try roundTrip(Fixture.options(.csv))
        #expect(rows.count == 6)
        let hostile = try #require(rows.first { $0["slug"] == "script-alert-1-script-quotes-commas-e-u" })
        #expect(hostile["title"] == Fixture.hostileTitle)
        #expect(hostile["body"] == Fixture.hostileBodyStored)
        #expect(hostile["source_url"] == "/faq/hostile")
        #expect(hostile["summary"] == "")
        let formula = try #require(rows.first { $0["slug"] == "cmd-c-calc-a0" })
        #expect(formula["title"] == "'" + Fixture.formulaTitle)
        #expect(formula["summary"] == "'@SUM(A1:A9) and -2+3")
        #expect(formula["body"] == "'-1 is negative, +1 is not.")
        #expect(rows.first { $0["slug"] == "what-does-a-pmo-do" }?["body"] == "The published answer.")

        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.hasPrefix("id,slug,kind,status,title,body,summary,image_url,source_url,edited_at,created_at,updated_at,published_at,revision\r\n"))
        #expect(text.hasSuffix("\r\n"))
        #expect(raw.prefix(3) != Data([0xEF, 0xBB, 0xBF]))
    }

    @Test func rawKeepsFormulasAndBOMAndColumnsApply() throws {
        let (raw, rows) = try roundTrip(Fixture.options(.csv) {
            $0.raw = true
            $0.bom = true
            $0.columns = [.slug, .title]
            $0.columnsGiven = true
        })
        #expect(raw.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        #expect(String(decoding: raw.dropFirst(3), as: UTF8.self).hasPrefix("slug,title\r\n"))
        // sqlite3 keeps the BOM in the first header name; the cells are what matters.
        let formula = try #require(rows.first { $0.values.contains("cmd-c-calc-a0") })
        #expect(formula["title"] == Fixture.formulaTitle)
        #expect(rows.allSatisfy { $0.count == 2 })
    }
}
