import Foundation

/// Writes a file through a temporary file beside it, renamed into place only once complete:
/// a failed export never leaves a half-written file, nor clobbers the previous one.
public enum AtomicFile {
    @discardableResult
    public static func write<T>(to path: String, _ body: (OutputSink) throws -> T) throws -> T {
        let target = URL(fileURLWithPath: path)
        let directory = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExportError.outputFile(path: path, reason: "the folder \(directory.path) does not exist")
        }
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ExportError.outputFile(path: path, reason: "cannot create a file in \(directory.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            let result: T
            do {
                defer { try? handle.close() }
                result = try body(OutputSink(handle))
                try handle.synchronize()
            }
            guard rename(temporary.path, target.path) == 0 else {
                throw ExportError.outputFile(path: path, reason: String(cString: strerror(errno)))
            }
            return result
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
