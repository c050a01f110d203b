import Exports
import Foundation
import Testing
import TestSupport

/// Property: whatever the cells hold, a record written by `CSV.record` reads back as exactly
/// those cells with an independent RFC 4180 reader.
@Suite("CSV: random cells round-trip")
struct CSVPropertyTests {

    /// The pieces cells are made of: the characters CSV gives meaning to, line breaks of every
    /// kind, spreadsheet formula starters, and text whose graphemes span several scalars (a
    /// quote or line break followed by a combining mark is one Swift Character).
    static let pieces = [
        ",", "\"", "\"\"", "\n", "\r", "\r\n", "\n\r", " ", "\t", "=", "+", "-", "@", "'", "a", "word", "é", "e\u{301}",
        "\"\u{301}", "\n\u{301}", ",\u{301}", "😀", "👩‍👩‍👧", "\u{0}", "\u{FEFF}", "日本", ";", "\\",
    ]

    static func cell(_ random: inout SeededGenerator) -> String {
        let length = Int.random(in: 0...8, using: &random)
        return (0..<length).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
    }

    @Test("records read back exactly", arguments: 0..<8)
    func roundTrip(run: Int) throws {
        let seed = UInt64(0x5EED_0000 + run)
        var random = SeededGenerator(seed: seed)
        var rows: [[String]] = []
        for _ in 0..<250 {
            let width = Int.random(in: 1...6, using: &random)
            rows.append((0..<width).map { _ in Self.cell(&random) })
        }
        let text = rows.map(CSV.record).joined()
        let read = try CSVReader.records(Array(text.utf8))
        #expect(read.count == rows.count, "seed \(seed)")
        for (index, (written, back)) in zip(rows, read).enumerated() where written != back {
            Issue.record("seed \(seed), row \(index): wrote \(written.map { $0.debugDescription }) read \(back.map { $0.debugDescription })")
        }
    }

    @Test("neutralised cells keep their text after the leading quote", arguments: 0..<4)
    func neutralised(run: Int) {
        var random = SeededGenerator(seed: UInt64(0xF0F0 + run))
        for _ in 0..<500 {
            let value = Self.cell(&random)
            let safe = CSV.neutralised(value)
            if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                #expect(safe == "'" + value)
            } else {
                #expect(safe == value)
            }
        }
    }
}

/// A strict RFC 4180 reader over bytes (so that it cannot share a grapheme-level mistake with
/// the writer): records end with CRLF; a field is either quoted, with `""` for a quote and
/// anything else literal, or unquoted without comma, quote, CR or LF.
enum CSVReader {
    enum Failure: Error { case malformed(at: Int, String) }

    static func records(_ bytes: [UInt8]) throws -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var index = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
        }
        while index < bytes.count {
            if bytes[index] == quote {
                index += 1
                while true {
                    guard index < bytes.count else { throw Failure.malformed(at: index, "unterminated quoted field") }
                    if bytes[index] == quote {
                        if index + 1 < bytes.count, bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(bytes[index])
                    index += 1
                }
            } else {
                while index < bytes.count, bytes[index] != comma, bytes[index] != cr {
                    if bytes[index] == quote || bytes[index] == lf { throw Failure.malformed(at: index, "quote or LF in an unquoted field") }
                    field.append(bytes[index])
                    index += 1
                }
            }
            guard index < bytes.count else { throw Failure.malformed(at: index, "record not ended by CRLF") }
            if bytes[index] == comma {
                endField()
                index += 1
            } else if bytes[index] == cr, index + 1 < bytes.count, bytes[index + 1] == lf {
                endField()
                records.append(fields)
                fields = []
                index += 2
            } else {
                throw Failure.malformed(at: index, "unexpected byte \(bytes[index]) after a field")
            }
        }
        return records
    }
}
