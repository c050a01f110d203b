import Foundation

/// The HTML files under an imported folder, found as the import may read them.
///
/// A symbolic link is followed only when what it points at, resolved, stays under the folder
/// (a link to `/etc/passwd` must not become a published page); any other link is skipped with
/// its reason. A folder that cannot be read is an error naming it, never a silent gap. A folder
/// reached twice (through a link) is walked once. Files are listed in a stable order.
struct FolderWalk {
    /// The HTML files, by their path under the folder as given (links not resolved).
    var files: [String] = []
    /// What was passed over on purpose, and why.
    var skipped: [ImportSummary.Failure] = []
    /// What could not be read.
    var failures: [ImportSummary.Failure] = []

    /// Which files an import reads from a folder.
    static func isPage(_ name: String) -> Bool {
        ["html", "htm"].contains((name as NSString).pathExtension.lowercased())
    }

    init(root: String) {
        guard let realRoot = Self.realPath(root) else {
            failures.append(.init(file: root, reason: .unreadableFolder(reason: String(cString: strerror(errno)))))
            return
        }
        var visited = Set<FileID>()
        visit(root, realRoot: realRoot, visited: &visited)
    }

    /// A file's identity on its device, to walk each folder once.
    private struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private mutating func visit(_ folder: String, realRoot: String, visited: inout Set<FileID>) {
        var info = stat()
        guard stat(folder, &info) == 0, visited.insert(FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else {
            return
        }
        guard let stream = opendir(folder) else {
            failures.append(.init(file: folder, reason: .unreadableFolder(reason: String(cString: strerror(errno)))))
            return
        }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(stream)
        for name in names.sorted() {
            let path = folder + "/" + name
            var own = stat()
            guard lstat(path, &own) == 0 else { continue }  // gone meanwhile
            var target = own
            if own.st_mode & S_IFMT == S_IFLNK {
                guard let real = Self.realPath(path), stat(real, &target) == 0 else {
                    if Self.isPage(name) { skipped.append(.init(file: path, reason: .brokenLink)) }
                    continue
                }
                guard real == realRoot || real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
                    skipped.append(.init(file: path, reason: .linkLeavesFolder(target: real)))
                    continue
                }
            }
            switch target.st_mode & S_IFMT {
            case S_IFDIR:
                visit(path, realRoot: realRoot, visited: &visited)
            case S_IFREG where Self.isPage(name):
                files.append(path)
            default:
                break
            }
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
