import Foundation
import PMCMS

/// One export format: told when the document starts, given the entries one at a time, told
/// when it ends.
protocol EntryWriter {
    mutating func begin() throws
    mutating func write(_ entry: StreamedEntry) throws
    mutating func end() throws
}

/// A writer of the entry object itself (json, ndjson), which can take it as JSON text.
protocol EntryObjectWriter: EntryWriter {
    /// Writes one entry object, given as the compact JSON text SQLite built.
    mutating func write(entryObject json: Data) throws
}
