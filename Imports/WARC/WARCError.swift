/// Why a WARC archive could not be read on, with the byte offset a person can look at (in the
/// compressed file for `.warc.gz`: where the damaged gzip member starts).
public enum WARCError: Error, Equatable, CustomStringConvertible {
    case unreadable(reason: String)
    /// The archive ends inside a record.
    case truncated(offset: Int64)
    /// What stands at `offset` is not a WARC record, or its compression is damaged.
    case corrupt(offset: Int64, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let reason): "cannot read the archive: \(reason)"
        case .truncated(let offset): "the archive is cut short in the record at offset \(offset)"
        case .corrupt(let offset, let reason): "damaged record at offset \(offset): \(reason)"
        }
    }
}
