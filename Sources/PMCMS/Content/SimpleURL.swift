/// The parts of an absolute http(s) address made only of characters URLs hold literally, read
/// byte by byte. Nearly every link on a scraped page is of this shape, and Foundation's URL
/// parsing was the largest single cost of an import; anything unusual (userinfo, an IPv6 host,
/// percent signs, dot segments, spaces) is left to Foundation by returning nil.
public struct SimpleURL: Sendable {
    /// `http` or `https`, as written.
    public let scheme: Substring
    /// The host, as written (not lowercased).
    public let host: Substring
    /// `scheme://host[:port]`, as written.
    public let origin: Substring
    /// From the first `/` after the host up to `?`, `#` or the end; "" when there is none.
    public let path: Substring
    /// Between `?` and `#`, without the `?`; nil when there is no `?`.
    public let query: Substring?

    public init?(_ text: String) {
        // One pass over the bytes in place (no copy: this runs for every link of every page),
        // finding the byte offsets of the parts; every byte is ASCII here, so they are the
        // offsets of the parts in the string too.
        let found: Cuts? = text.utf8.withContiguousStorageIfAvailable(Self.cuts) ?? Array(text.utf8).withUnsafeBufferPointer(Self.cuts)
        guard let cuts = found else { return nil }
        func slice(_ from: Int, _ to: Int) -> Substring {
            let utf8 = text.utf8
            return text[utf8.index(utf8.startIndex, offsetBy: from)..<utf8.index(utf8.startIndex, offsetBy: to)]
        }
        scheme = slice(0, cuts.schemeEnd)
        host = slice(cuts.schemeEnd + 3, cuts.hostEnd)
        origin = slice(0, cuts.authorityEnd)
        path = slice(cuts.authorityEnd, cuts.pathEnd)
        query = cuts.query.map { slice($0.lowerBound, $0.upperBound) }
    }

    /// Where the parts of a simple address end, as byte offsets; nil when it is not simple.
    private struct Cuts {
        var schemeEnd, hostEnd, authorityEnd, pathEnd: Int
        var query: Range<Int>?
    }

    private static func cuts(_ bytes: UnsafeBufferPointer<UInt8>) -> Cuts? {
        // Literal characters only, no brackets (IPv6 hosts) and at most one `#`.
        var hashes = 0
        for byte in bytes {
            guard isLiteral(byte), byte != 0x5B, byte != 0x5D else { return nil }
            if byte == 0x23 { hashes += 1 }
        }
        guard hashes <= 1 else { return nil }
        func lower(_ index: Int) -> UInt8 { (0x41...0x5A).contains(bytes[index]) ? bytes[index] | 0x20 : bytes[index] }
        func starts(with prefix: String) -> Bool {
            bytes.count >= prefix.utf8.count && prefix.utf8.enumerated().allSatisfy { lower($0.offset) == $0.element }
        }
        let schemeEnd: Int
        if starts(with: "https://") { schemeEnd = 5 } else if starts(with: "http://") { schemeEnd = 4 } else { return nil }
        let hostStart = schemeEnd + 3
        var authorityEnd = hostStart
        while authorityEnd < bytes.count, bytes[authorityEnd] != 0x2F, bytes[authorityEnd] != 0x3F, bytes[authorityEnd] != 0x23 { authorityEnd += 1 }
        var hostEnd = hostStart
        while hostEnd < authorityEnd, isHostByte(bytes[hostEnd]) { hostEnd += 1 }
        guard hostEnd > hostStart else { return nil }
        if hostEnd < authorityEnd {
            // Only a port may follow the host: `:` and digits.
            guard bytes[hostEnd] == 0x3A, bytes[(hostEnd + 1)..<authorityEnd].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        }
        var pathEnd = authorityEnd
        while pathEnd < bytes.count, bytes[pathEnd] != 0x3F, bytes[pathEnd] != 0x23 { pathEnd += 1 }
        guard !hasDotSegment(UnsafeBufferPointer(rebasing: bytes[authorityEnd..<pathEnd])) else { return nil }
        var query: Range<Int>?
        if pathEnd < bytes.count, bytes[pathEnd] == 0x3F {
            var queryEnd = pathEnd + 1
            while queryEnd < bytes.count, bytes[queryEnd] != 0x23 { queryEnd += 1 }
            query = (pathEnd + 1)..<queryEnd
        }
        return Cuts(schemeEnd: schemeEnd, hostEnd: hostEnd, authorityEnd: authorityEnd, pathEnd: pathEnd, query: query)
    }

    /// Printable ASCII that needs no percent-encoding, without `%` (whose validity Foundation
    /// decides) and `&` (which may hide an HTML5 reference such as `&colon;`).
    public static func isLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21, 0x23, 0x24, 0x27...0x3B, 0x3D, 0x3F...0x5B, 0x5D, 0x5F, 0x61...0x7A, 0x7E: return true
        default: return false
        }
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x2E
    }

    /// Whether a path holds a `.` or `..` segment, which resolution would remove.
    private static func hasDotSegment(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        var segmentLength = 0
        var dots = 0
        for byte in path {
            if byte == 0x2F {
                if segmentLength > 0, dots == segmentLength, dots <= 2 { return true }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if byte == 0x2E { dots += 1 }
            }
        }
        return segmentLength > 0 && dots == segmentLength && dots <= 2
    }
}
