import CZlib
import Foundation

/// Where a WARC reader's bytes come from: a file read in chunks, or the same through gzip.
/// Never the whole file at once, so that memory stays flat for an archive of any size.
protocol ByteSource {
    /// Reads up to `buffer.count` bytes into the start of `buffer`; 0 means the end of the input.
    mutating func read(into buffer: inout [UInt8]) throws(WARCError) -> Int
    /// Where in the file (compressed bytes, for gzip) the gzip member or record being read
    /// started, for error messages that name a place a person can look at.
    var fileOffset: Int64 { get }
    /// Bytes of the file read so far, for progress.
    var bytesRead: Int64 { get }
}

/// A file's bytes as they are, read with `read(2)` in chunks.
struct FileByteSource: ByteSource {
    private let descriptor: Int32
    private(set) var fileOffset: Int64 = 0
    var bytesRead: Int64 { fileOffset }

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    mutating func read(into buffer: inout [UInt8]) throws(WARCError) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                fileOffset += Int64(count)
                return count
            }
            if errno == EINTR { continue }
            throw .unreadable(reason: String(cString: strerror(errno)))
        }
    }
}

/// gzip through zlib, member after member: crawlers compress each WARC record as a gzip member
/// of its own and concatenate them. `fileOffset` is the compressed offset where the member
/// being inflated starts.
final class GzipByteSource: ByteSource {
    private var file: FileByteSource
    /// zlib keeps a pointer back to its stream, so the stream must never move: it lives on the heap.
    private let stream = ZStream()
    private var input = [UInt8](repeating: 0, count: 1 << 16)
    private var inputStart = 0
    private var inputEnd = 0
    /// Compressed bytes consumed by zlib so far.
    private var consumed: Int64 = 0
    private(set) var fileOffset: Int64 = 0
    var bytesRead: Int64 { file.bytesRead }
    private var finished = false
    /// Whether the current member has produced its end marker (the next bytes, if any, start
    /// a new member).
    private var atMemberEnd = false

    init(file: FileByteSource) throws(WARCError) {
        self.file = file
        // 15 + 16: a gzip wrapper (not zlib's), with the largest window.
        guard stream.start(windowBits: 15 + 16) else { throw .corrupt(offset: 0, reason: "zlib could not start") }
    }

    func read(into buffer: inout [UInt8]) throws(WARCError) -> Int {
        guard !buffer.isEmpty else { return 0 }
        while !finished {
            if inputStart == inputEnd {
                let count = try file.read(into: &input)
                if count == 0 {
                    finished = true
                    // Input ended inside a member: the archive was cut short.
                    if !atMemberEnd && consumed > fileOffset {
                        throw .truncated(offset: fileOffset)
                    }
                    return 0
                }
                inputStart = 0
                inputEnd = count
            }
            if atMemberEnd {
                // Another member follows: start it afresh.
                fileOffset = consumed
                guard inflateReset(stream.pointer) == Z_OK else { throw .corrupt(offset: fileOffset, reason: "zlib could not restart") }
                atMemberEnd = false
            }
            let available = inputEnd - inputStart
            let outputSize = buffer.count
            let start = inputStart
            let z = stream.pointer
            let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
                buffer.withUnsafeMutableBufferPointer { outBuffer in
                    z.pointee.next_in = inputBuffer.baseAddress.map { $0 + start }
                    z.pointee.avail_in = uInt(available)
                    z.pointee.next_out = outBuffer.baseAddress
                    z.pointee.avail_out = uInt(outputSize)
                    return inflate(z, Z_NO_FLUSH)
                }
            }
            let used = available - Int(z.pointee.avail_in)
            let produced = outputSize - Int(z.pointee.avail_out)
            inputStart += used
            consumed += Int64(used)
            switch status {
            case Z_STREAM_END:
                atMemberEnd = true
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let message = stream.pointer.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw .corrupt(offset: fileOffset, reason: "gzip: \(message)")
            }
            if produced > 0 { return produced }
        }
        return 0
    }
}

/// A zlib inflate stream at a fixed address (zlib's state points back at it), ended on release.
final class ZStream {
    let pointer = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var started = false

    init() {
        pointer.initialize(to: z_stream())
    }

    /// Starts inflating with zlib's `windowBits` (15 + 16: gzip; 15: zlib/deflate).
    func start(windowBits: Int32) -> Bool {
        started = pmcms_inflateInit2(pointer, windowBits) == Z_OK
        return started
    }

    deinit {
        if started { inflateEnd(pointer) }
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}
