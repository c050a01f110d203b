public import Foundation  // LocalizedError conformance

/// Reads an input file, a pipe or standard input whole, but never more than a limit: the
/// size of a regular file is checked (on the file itself, a link followed) before any byte is
/// read, and anything else is read in bounded chunks and refused as soon as it passes the
/// limit, so that neither a huge file nor an endless pipe is held in memory.
public enum BoundedInput {
    /// The default limit for imported pages and body files (the import's maximum size).
    public static let defaultLimit = 20_000_000

    /// How much is asked of the file per read.
    static let chunkSize = 1 << 16

    /// Reads `path`, or standard input when `path` is nil, as `git commit -F` reads a message:
    /// any readable file, pipe or device (`/dev/fd/63` from process substitution) will do.
    public static func read(path: String?, limit: Int) throws -> [UInt8] {
        let display = path ?? "(standard input)"
        let descriptor: Int32
        if let path {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let code = errno
                if code == ENOENT { throw InputError.notFound(path: path) }
                throw InputError.unreadable(path: path, reason: String(cString: strerror(code)))
            }
        } else {
            descriptor = STDIN_FILENO
        }
        defer { if path != nil { close(descriptor) } }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw InputError.unreadable(path: display, reason: String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw InputError.isFolder(path: display)
        case S_IFREG where Int(info.st_size) > limit:
            throw InputError.tooLarge(path: display, bytes: Int(info.st_size), limit: limit)
        default:
            break
        }
        var bytes: [UInt8] = []
        if info.st_mode & S_IFMT == S_IFREG { bytes.reserveCapacity(Int(info.st_size)) }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError.unreadable(path: display, reason: String(cString: strerror(errno)))
            }
            guard bytes.count + count <= limit else {
                throw InputError.tooLarge(path: display, bytes: nil, limit: limit)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}

/// Why an input could not be read.
public enum InputError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case notFound(path: String)
    case isFolder(path: String)
    case unreadable(path: String, reason: String)
    /// Over the limit: `bytes` is the size when it was known before reading (a regular file).
    case tooLarge(path: String, bytes: Int?, limit: Int)

    public var description: String {
        switch self {
        case .notFound(let path): "cannot read \(path): no such file"
        case .isFolder(let path): "cannot read \(path): it is a folder, not a file"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .tooLarge(let path, let bytes?, let limit): "\(path) is \(bytes) bytes, over the \(limit)-byte limit"
        case .tooLarge(let path, nil, let limit): "\(path) is over the \(limit)-byte limit (reading stopped there)"
        }
    }

    public var errorDescription: String? { description }
}
