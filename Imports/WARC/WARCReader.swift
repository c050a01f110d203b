import Foundation

/// One record of a WARC archive (ISO 28500, WARC 1.0 and 1.1): its named fields and, when it
/// is small enough to keep, its content block.
public struct WARCRecord: Sendable, Equatable {
    /// `WARC/1.0` or `WARC/1.1`.
    public var version: String
    /// Field names lower-cased; values as written.
    public var fields: [String: String]
    /// Where the record starts: the byte offset in the file, or for `.warc.gz` the compressed
    /// offset of the gzip member that holds it.
    public var offset: Int64
    public var contentLength: Int
    /// The content block, or nil when it was longer than the reader's limit (then skipped
    /// without being held in memory).
    public var block: [UInt8]?
    /// For a block over the limit, its first bytes (up to `WARCReader.headLength`): enough for
    /// the HTTP status and headers, to tell a page too large to import from an image or video
    /// that is merely skipped.
    public var head: [UInt8]? = nil

    /// `response`, `request`, `revisit`, `warcinfo`, `metadata`, `resource`, … (lower-cased).
    public var type: String { fields["warc-type"]?.lowercased() ?? "" }

    /// `WARC-Target-URI`, without the angle brackets WARC 1.0 writers (wget among them) put
    /// around it.
    public var targetURI: String? {
        guard var uri = fields["warc-target-uri"]?.trimmingCharacters(in: .whitespaces), !uri.isEmpty else { return nil }
        if uri.hasPrefix("<") && uri.hasSuffix(">") { uri = String(uri.dropFirst().dropLast()) }
        return uri
    }

    /// `WARC-Date`: when the page was fetched.
    public var date: String? { fields["warc-date"] }
}

/// Reads the records of a WARC archive one at a time from a file, plain or gzip-compressed
/// (detected by its first bytes, not its name), holding at most one record's block in memory.
public final class WARCReader {
    private var source: any ByteSource
    private let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    /// Bytes of uncompressed WARC consumed so far (for plain archives, the file offset).
    private var position: Int64 = 0
    private let compressed: Bool
    /// The longest header line accepted: a record whose header runs on is damaged.
    static let maxLineLength = 64 * 1024
    /// How much of a block over the limit is kept (`WARCRecord.head`).
    public static let headLength = 16 * 1024

    /// Bytes of the file read so far (compressed bytes for `.warc.gz`), for progress.
    public var bytesRead: Int64 { source.bytesRead }

    /// Opens `path`; throws when it cannot be read.
    public init(path: String) throws(WARCError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(reason: String(cString: strerror(errno))) }
        descriptor = fd
        var magic = [UInt8](repeating: 0, count: 2)
        let count = pread(fd, &magic, 2, 0)
        compressed = count == 2 && magic == [0x1F, 0x8B]
        let file = FileByteSource(descriptor: fd)
        do {
            source = compressed ? try GzipByteSource(file: file) : file
        } catch {
            close(fd)
            throw error
        }
    }

    deinit {
        close(descriptor)
    }

    /// Whether the first bytes of `path` are those of a WARC archive (plain, or gzip whose
    /// content starts with a WARC version line).
    public static func isArchive(path: String) -> Bool {
        guard let reader = try? WARCReader(path: path) else { return false }
        var line: [UInt8]? = nil
        do { line = try reader.readLine() } catch { return false }
        guard let line else { return false }
        return line.starts(with: Array("WARC/".utf8))
    }

    /// The next record, with its block when it is at most `maxBlock` bytes; nil at the end of
    /// the archive. After an error the reader cannot go on: what came before stands.
    public func next(maxBlock: Int) throws(WARCError) -> WARCRecord? {
        // Records are separated by two CRLFs; skip any blank lines before the next one.
        var versionLine: [UInt8]
        repeat {
            guard let line = try readLine() else { return nil }
            versionLine = line
        } while versionLine.isEmpty
        let offset = recordOffset(startOfLine: versionLine.count + 2)
        let version = String(decoding: versionLine, as: UTF8.self)
        guard version.hasPrefix("WARC/") else {
            throw .corrupt(offset: offset, reason: "expected a WARC version line, found '\(version.prefix(40))'")
        }
        var fields: [String: String] = [:]
        var lastName: String?
        while true {
            guard let line = try readLine() else { throw .truncated(offset: offset) }
            if line.isEmpty { break }
            if let first = line.first, first == 0x20 || first == 0x09, let name = lastName {
                // A folded line continues the previous field.
                fields[name, default: ""] += " " + String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: 0x3A) else {
                throw .corrupt(offset: offset, reason: "a header line without a colon")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            fields[name] = value
            lastName = name
        }
        guard let lengthText = fields["content-length"], let length = Int(lengthText), length >= 0 else {
            throw .corrupt(offset: offset, reason: "no valid Content-Length")
        }
        var block: [UInt8]?
        var head: [UInt8]?
        if length <= maxBlock {
            block = try readExactly(length, recordOffset: offset)
        } else {
            let kept = min(length, Self.headLength)
            head = try readExactly(kept, recordOffset: offset)
            try skip(length - kept, recordOffset: offset)
        }
        return WARCRecord(version: version, fields: fields, offset: offset, contentLength: length, block: block, head: head)
    }

    /// The offset to name for a record whose version line (of `startOfLine` bytes) was just read.
    private func recordOffset(startOfLine: Int) -> Int64 {
        compressed ? source.fileOffset : position - Int64(startOfLine)
    }

    // MARK: Buffered reading

    private func fill() throws(WARCError) -> Bool {
        if start < end { return true }
        let count = try source.read(into: &buffer)
        start = 0
        end = count
        return count > 0
    }

    /// A line without its CRLF (or LF); nil at the end of the input.
    func readLine() throws(WARCError) -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            guard try fill() else {
                if line.isEmpty { return nil }
                throw .truncated(offset: compressed ? source.fileOffset : position)
            }
            if let newline = buffer[start..<end].firstIndex(of: 0x0A) {
                line.append(contentsOf: buffer[start..<newline])
                position += Int64(newline + 1 - start)
                start = newline + 1
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            line.append(contentsOf: buffer[start..<end])
            position += Int64(end - start)
            start = end
            if line.count > Self.maxLineLength {
                throw .corrupt(offset: compressed ? source.fileOffset : position, reason: "a header line longer than \(Self.maxLineLength) bytes")
            }
        }
    }

    private func readExactly(_ count: Int, recordOffset: Int64) throws(WARCError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            guard try fill() else { throw .truncated(offset: recordOffset) }
            let take = min(count - bytes.count, end - start)
            bytes.append(contentsOf: buffer[start..<(start + take)])
            start += take
            position += Int64(take)
        }
        return bytes
    }

    private func skip(_ count: Int, recordOffset: Int64) throws(WARCError) {
        var left = count
        while left > 0 {
            guard try fill() else { throw .truncated(offset: recordOffset) }
            let take = min(left, end - start)
            start += take
            position += Int64(take)
            left -= take
        }
    }
}
