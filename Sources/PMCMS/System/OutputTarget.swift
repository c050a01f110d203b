public import Foundation  // file modes and owners (mode_t, uid_t), LocalizedError

/// A path a command is about to write (`export --out`, `backup`), looked at before anything
/// is written: the one place that decides what may be replaced and how.
///
/// Symbolic links are followed, so that the file they point at is written and the link stays;
/// the store, its `-wal`, `-shm` and `-journal` files, and any link (hard or symbolic) to them
/// are refused; a character device or a FIFO (`/dev/null`, `/dev/stdout`, a named pipe) is
/// written through, never replaced; any other special file is refused.
public struct OutputTarget: Sendable, Equatable {
    /// What is at the path now.
    public enum Kind: Sendable, Equatable {
        /// Nothing: a new file is made.
        case new
        /// A regular file, replaced whole; the new one gets its permissions (and, for root, its owner).
        case regular(mode: mode_t, owner: uid_t, group: gid_t)
        /// A character device or a FIFO, written to in place.
        case stream
    }

    /// The path as the user gave it, for messages.
    public let path: String
    /// The file that is written: symbolic links followed, its folder made canonical.
    public let resolved: String
    public let kind: Kind

    /// The folder the resolved file is in (where a temporary file beside it goes).
    public var folder: String { (resolved as NSString).deletingLastPathComponent }

    /// Looks at `path`; throws `OutputError` when it must not be written. `store` is the path
    /// of the open store, whose files are never an output; a read-only regular file is
    /// replaced only with `force`.
    public static func inspect(_ path: String, protecting store: String?, force: Bool = false) throws -> OutputTarget {
        let followed = try followLinks(path)
        let parent = (followed as NSString).deletingLastPathComponent
        guard let folder = realPath(parent.isEmpty ? "." : parent) else {
            throw OutputError.refused(path: path, reason: "the folder \(parent) does not exist")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw OutputError.refused(path: path, reason: "\(parent) is not a folder")
        }
        let resolved = (folder as NSString).appendingPathComponent((followed as NSString).lastPathComponent)
        if let store, let storeFile = storeFileMatching(resolved, store: store) {
            throw OutputError.refused(
                path: path, reason: storeFile == store
                    ? "it is the store itself; writing there would destroy it. Choose another file"
                    : "it is \(storeFile), part of the open store; writing there would corrupt it. Choose another file")
        }
        var info = stat()
        guard lstat(resolved, &info) == 0 else {
            if errno == ENOENT { return OutputTarget(path: path, resolved: resolved, kind: .new) }
            throw OutputError.refused(path: path, reason: String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            // Root may write anything, so the mode bits are what says "read-only" there.
            if !force && ((info.st_mode & 0o222) == 0 || access(resolved, W_OK) != 0) {
                throw OutputError.readOnly(path: path)
            }
            return OutputTarget(path: path, resolved: resolved, kind: .regular(mode: info.st_mode & 0o7777, owner: info.st_uid, group: info.st_gid))
        case S_IFCHR, S_IFIFO:
            return OutputTarget(path: path, resolved: resolved, kind: .stream)
        case S_IFDIR:
            throw OutputError.refused(path: path, reason: "it is a folder; give a file name inside it")
        default:
            throw OutputError.specialFile(path: path)
        }
    }

    /// Follows symbolic links on the last component (the folder is made canonical after),
    /// so that a link is kept and its target written, even a target that does not exist yet.
    static func followLinks(_ path: String) throws -> String {
        var current = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                throw OutputError.refused(path: path, reason: "its symbolic link cannot be read")
            }
            current = destination.hasPrefix("/")
                ? destination : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
        }
        throw OutputError.refused(path: path, reason: "too many levels of symbolic links")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Which of the store's files `resolved` is (by name, or by device and inode for hard
    /// links and other aliases), or nil.
    static func storeFileMatching(_ resolved: String, store: String) -> String? {
        let storeResolved = (try? followLinks(store)) ?? store
        let storeFolder = realPath((storeResolved as NSString).deletingLastPathComponent) ?? (storeResolved as NSString).deletingLastPathComponent
        let canonicalStore = (storeFolder as NSString).appendingPathComponent((storeResolved as NSString).lastPathComponent)
        var target = stat()
        let targetExists = stat(resolved, &target) == 0
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let file = canonicalStore + suffix
            if resolved == file { return store + suffix }
            var info = stat()
            if targetExists, stat(file, &info) == 0, info.st_dev == target.st_dev, info.st_ino == target.st_ino {
                return store + suffix
            }
        }
        return nil
    }
}

/// Why an output path is not written.
public enum OutputError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case refused(path: String, reason: String)
    /// A read-only file that is replaced only when the caller forces it.
    case readOnly(path: String)
    /// A block device or a socket: only files, character devices and pipes are written.
    case specialFile(path: String)

    public var description: String {
        switch self {
        case .refused(let path, let reason): "could not write \(path): \(reason)"
        case .readOnly(let path): "could not write \(path): it is read-only"
        case .specialFile(let path): "could not write \(path): it is a special file (a block device or a socket); only files, character devices and pipes are written"
        }
    }

    public var errorDescription: String? { description }
}
