import Foundation
import PMCMS

/// `export json`: `{"generated_at", "site", "entries": [...]}`, one entry object per line.
struct JSONExportWriter: EntryObjectWriter {
    var stream: JSONObjectStream
    let generatedAt: String
    let site: Site

    mutating func begin() throws {
        try stream.begin()
        try stream.member("generated_at", generatedAt)
        try stream.member("site", site.object)
        try stream.beginArray("entries")
    }

    mutating func write(_ entry: StreamedEntry) throws {
        try stream.element(EntryWithHistory(entry: entry))
    }

    mutating func write(entryObject json: Data) throws {
        try stream.element(json: JSONText.htmlSafe(json))
    }

    mutating func end() throws {
        try stream.endArray()
        try stream.end()
    }
}

/// `export ndjson`: one entry object per line, nothing else.
struct NDJSONExportWriter: EntryObjectWriter {
    let sink: OutputSink

    mutating func begin() throws {}

    mutating func write(_ entry: StreamedEntry) throws {
        try sink.write(try JSONText.encode(EntryWithHistory(entry: entry)))
        try sink.write("\n")
    }

    mutating func write(entryObject json: Data) throws {
        try sink.write(JSONText.htmlSafe(json))
        try sink.write("\n")
    }

    mutating func end() throws {}
}
