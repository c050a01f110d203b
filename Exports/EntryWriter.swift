import PMCMS

/// One export format: told when the document starts, given the entries one at a time, told
/// when it ends.
protocol EntryWriter {
    mutating func begin() throws
    mutating func write(_ entry: StreamedEntry) throws
    mutating func end() throws
}
