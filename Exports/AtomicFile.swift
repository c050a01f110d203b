import Foundation
import PMCMS

/// Writes an export to a path that `OutputTarget` has checked: a file through a temporary file
/// beside it, renamed into place only once complete (a failed export never leaves a
/// half-written file, nor clobbers the previous one), keeping the replaced file's permissions;
/// a character device or a FIFO is written in place.
public enum AtomicFile {
    /// Writes `body`'s output to `path`. `store` is the open store's path, which is never
    /// written over; `force` replaces a read-only file.
    @discardableResult
    public static func write<T>(
        to path: String, protecting store: String? = nil, force: Bool = false, _ body: (OutputSink) throws -> T
    ) throws -> T {
        let target: OutputTarget
        do {
            target = try OutputTarget.inspect(path, protecting: store, force: force)
        } catch OutputError.refused(_, let reason) {
            throw ExportError.outputFile(path: path, reason: reason)
        }
        if target.kind == .stream { return try writeThrough(target, body) }
        let temporary = (target.folder as NSString).appendingPathComponent(".\((target.resolved as NSString).lastPathComponent).\(getpid()).tmp")
        // 0666 less the umask, as any new file; a replaced file's own mode is set below.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw ExportError.outputFile(path: path, reason: "cannot create a file in \(target.folder): \(String(cString: strerror(errno)))")
        }
        do {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
            let result: T
            do {
                defer { close(descriptor) }
                if case .regular(let mode, let owner, let group) = target.kind {
                    // Only root can give a file away; for others the owner is themselves anyway.
                    if getuid() == 0 { _ = fchown(descriptor, owner, group) }
                    guard fchmod(descriptor, mode) == 0 else {
                        throw ExportError.outputFile(path: path, reason: "cannot keep its permissions: \(String(cString: strerror(errno)))")
                    }
                }
                result = try body(OutputSink(handle))
                try handle.synchronize()
            }
            guard rename(temporary, target.resolved) == 0 else {
                throw ExportError.outputFile(path: path, reason: String(cString: strerror(errno)))
            }
            return result
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// A device or a pipe is written to as it is: replacing it with a file would destroy it
    /// (`/dev/null`), and a reader on the other end expects the bytes.
    private static func writeThrough<T>(_ target: OutputTarget, _ body: (OutputSink) throws -> T) throws -> T {
        let descriptor = open(target.resolved, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ExportError.outputFile(path: target.path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        return try body(OutputSink(FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)))
    }
}
