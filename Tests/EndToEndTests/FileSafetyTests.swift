import Foundation
import Testing
import TestBackends
import TestSupport

/// Hostile file systems (issue 14, issue 13): what pmcms may create, replace or refuse, and
/// what it says when the file system says no. Everything stays inside the test's own folder.
@Suite("End to end: file-system safety")
struct FileSafetyTests {
    /// A store with one published question, made through the CLI.
    static func storeWithEntry() throws -> PMCMSRun {
        let run = try PMCMSRun()
        try #require(try run.run(["new", "--kind", "question", "--title", "Is a PMO senior?", "--set", "body=It depends."]).status == 0)
        for step in ["submit", "approve", "publish"] { try #require(try run.run([step, "1"]).status == 0) }
        return run
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    static func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    /// glibc's `makedev` is a macro Swift cannot see; for small numbers it is this.
    static func device(major: UInt64, minor: UInt64) -> dev_t { dev_t((major << 8) | minor) }

    static func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    // MARK: Item 14.1: the store is never an output

    @Test("export --out and backup refuse the store, its -wal and -shm, and links to them", .sqliteOnly("the store's file, its -wal and -shm"))
    func outputNeverTheStore() throws {
        let run = try Self.storeWithEntry()
        defer { run.cleanup() }
        let folder = run.directory.path
        try FileManager.default.createSymbolicLink(atPath: folder + "/soft.sqlite", withDestinationPath: run.storePath)
        try FileManager.default.linkItem(atPath: run.storePath, toPath: folder + "/hard.json")
        let before = try #require(Self.bytes(run.storePath))
        for target in [run.storePath, "pmcms.sqlite", "./pmcms.sqlite", folder + "/soft.sqlite", folder + "/hard.json",
                       run.storePath + "-wal", run.storePath + "-shm"] {
            let export = try run.run(["export", "json", "--out", target])
            #expect(export.status == 1, "export --out \(target): \(export.stdout)")
            #expect(export.stderr.contains("pmcms: error: could not write") && export.stderr.contains("store"), "\(export.stderr)")
            let backup = try run.run(["backup", target])
            #expect(backup.status == 1, "backup \(target): \(backup.stdout)")
        }
        #expect(Self.bytes(run.storePath) == before, "the store is byte-identical")
        #expect(Self.fileType(folder + "/soft.sqlite") == S_IFLNK)
        #expect(!FileManager.default.fileExists(atPath: run.storePath + "-wal"), "no -wal was written as an export")
        #expect(try run.run(["verify"]).status == 0)
    }

    // MARK: Item 14.2: devices, FIFOs, links, modes

    @Test("export --out writes through devices and FIFOs, follows links, keeps modes, and refuses read-only files without --force")
    func outputToSpecialFiles() throws {
        let run = try Self.storeWithEntry()
        defer { run.cleanup() }
        let folder = run.directory.path
        // A character device made inside the test folder (root can; otherwise the case is skipped).
        let null = folder + "/null"
        if mknod(null, S_IFCHR | 0o666, Self.device(major: 1, minor: 3)) == 0 {
            let result = try run.run(["export", "json", "--out", null])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.fileType(null) == S_IFCHR, "the device is still a device")
        }
        if mknod(folder + "/block", S_IFBLK | 0o600, Self.device(major: 7, minor: 250)) == 0 {
            let result = try run.run(["export", "json", "--out", folder + "/block"])
            #expect(result.status == 1 && result.stderr.contains("special file"), "\(result.stderr)")
            #expect(Self.fileType(folder + "/block") == S_IFBLK)
        }
        // A FIFO: its reader gets the whole export, and the FIFO stays a FIFO. The reading end is
        // opened first (without blocking) and read after the export, which fits in the pipe.
        let fifo = folder + "/pipe"
        try #require(mkfifo(fifo, 0o600) == 0)
        let readEnd = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(readEnd >= 0)
        defer { close(readEnd) }
        let piped = try run.run(["export", "json", "--out", fifo])
        #expect(piped.status == 0, "\(piped.stderr)")
        var received = [UInt8](repeating: 0, count: 1 << 16)
        let count = read(readEnd, &received, received.count)
        #expect(String(decoding: received.prefix(max(0, count)), as: UTF8.self).contains("Is a PMO senior?"))
        #expect(Self.fileType(fifo) == S_IFIFO)
        // A symbolic link: its target is replaced, the link stays; a 0600 file stays 0600.
        try "old".write(toFile: folder + "/real.json", atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/real.json")
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.json", withDestinationPath: "real.json")
        #expect(try run.run(["export", "json", "--out", "link.json"]).status == 0)
        #expect(Self.fileType(folder + "/link.json") == S_IFLNK, "the link is kept")
        #expect(String(decoding: Self.bytes(folder + "/real.json") ?? Data(), as: UTF8.self).contains("Is a PMO senior?"))
        #expect(try Self.mode(folder + "/real.json") == 0o600)
        // A read-only file is refused, and replaced with --force (keeping its mode).
        try "keep".write(toFile: folder + "/ro.json", atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: folder + "/ro.json")
        let refused = try run.run(["export", "json", "--out", "ro.json"])
        #expect(refused.status == 1 && refused.stderr.contains("read-only") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(Self.bytes(folder + "/ro.json") == Data("keep".utf8))
        #expect(try run.run(["export", "json", "--out", "ro.json", "--force"]).status == 0)
        #expect(String(decoding: Self.bytes(folder + "/ro.json") ?? Data(), as: UTF8.self).contains("Is a PMO senior?"))
        #expect(try Self.mode(folder + "/ro.json") == 0o444)
        // A folder is not a file.
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
        let intoFolder = try run.run(["export", "json", "--out", "sub"])
        #expect(intoFolder.status == 1 && intoFolder.stderr.contains("folder"), "\(intoFolder.stderr)")
    }

    // MARK: Items 14.3 and 13.3: read commands never create or change a file

    static let readCommands: [[String]] = [
        ["list"], ["show", "1"], ["history", "1"], ["diff", "1", "1", "1"], ["blame", "1"], ["log"], ["search", "pmo"],
        ["check"], ["export", "json"], ["review"], ["verify"], ["config"], ["config", "site.title"],
    ]

    @Test("read commands refuse a missing, empty, foreign or non-SQLite file and leave it byte-identical; creating commands refuse foreign files", .sqliteOnly("missing, empty, foreign and non-SQLite files"))
    func readCommandsNeverWrite() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        let folder = run.directory.path
        try Data().write(to: URL(fileURLWithPath: folder + "/empty.db"))
        try Data("just some text, not a database\n".utf8).write(to: URL(fileURLWithPath: folder + "/notes.db"))
        let sqlite = try Subprocess.run(
            path: "/usr/bin/sqlite3",
            [folder + "/other-app.db", "CREATE TABLE things (name TEXT); INSERT INTO things VALUES ('mine');"])
        try #require(sqlite.status == 0, "\(sqlite.stderrText)")
        // Another program that crashed mid-transaction: its hot journal must not be rolled back
        // (an ordinary SQLite open would, changing the file and deleting the journal).
        let crashed = try Subprocess.run(path: "/usr/bin/env", ["python3", "-c", """
            import sqlite3, os
            c = sqlite3.connect("crashed.db", isolation_level=None)
            c.execute("CREATE TABLE t (x)")
            c.execute("BEGIN")
            for i in range(2000): c.execute("INSERT INTO t VALUES (?)", ("x" * 500,))
            c.execute("COMMIT")
            c.execute("PRAGMA cache_size = 5")
            c.execute("BEGIN")
            c.execute("UPDATE t SET x = 'y' || x")
            os._exit(0)
            """], currentDirectory: run.directory)
        try #require(crashed.status == 0 && FileManager.default.fileExists(atPath: folder + "/crashed.db-journal"))
        let files = ["empty.db", "notes.db", "other-app.db", "crashed.db", "crashed.db-journal"]
        let before = files.map { Self.bytes(folder + "/" + $0) }
        for command in Self.readCommands {
            for file in ["empty.db", "notes.db", "other-app.db", "crashed.db", "missing.db"] {
                let result = try run.run(["--db", folder + "/" + file] + command)
                #expect(result.status == 1, "\(command) on \(file) exits 1: \(result.stdout)")
                #expect(result.stderr.contains("no pmcms store at"), "\(command) on \(file): \(result.stderr)")
            }
        }
        for command in [["init"], ["new", "--kind", "question", "--title", "Q?"], ["config", "site.title", "T"],
                        ["import", ImportTests.fixtures.appendingPathComponent("site").path]] {
            for file in ["notes.db", "other-app.db", "crashed.db"] {
                let result = try run.run(["--db", folder + "/" + file] + command)
                #expect(result.status == 1 && result.stderr.contains("no pmcms store at"), "\(command) on \(file): \(result.stderr)")
            }
        }
        #expect(files.map { Self.bytes(folder + "/" + $0) } == before, "every file is byte-identical")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(left == Set(files), "nothing was created beside them: \(left.sorted())")
        // Only the creating commands make a store, in an empty file.
        #expect(try run.run(["--db", folder + "/empty.db", "init"]).status == 0)
        #expect(try run.run(["--db", folder + "/empty.db", "list"]).status == 0)
        #expect(try run.run(["--db", folder + "/empty.db", "verify"]).status == 0)
    }

    // MARK: Item 14.17: SQLite's errors as sentences; a read-only store can be read

    @Test("a store in a read-only file or folder can be read; writing it says why it cannot, not SQLite error 8", .sqliteOnly("a read-only store file or folder"))
    func readOnlyStore() throws {
        let run = try Self.storeWithEntry()
        defer {
            for sub in ["rofile", "rodir"] {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: run.directory.path + "/" + sub)
            }
            run.cleanup()
        }
        let folder = run.directory.path
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
        for (sub, fileMode, folderMode) in [("rofile", 0o444, 0o777), ("rodir", 0o644, 0o555)] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: false)
            let store = folder + "/" + sub + "/site.sqlite"
            try #require(try run.run(["backup", store]).status == 0)
            try FileManager.default.setAttributes([.posixPermissions: fileMode], ofItemAtPath: store)
            try FileManager.default.setAttributes([.posixPermissions: folderMode], ofItemAtPath: folder + "/" + sub)
            let before = Self.bytes(store)
            for command in [["list"], ["show", "1"], ["export", "json"], ["verify"], ["history", "1"], ["search", "pmo"]] {
                let result = try run.runUnprivileged(["--db", store] + command)
                #expect(result.status == 0, "\(sub): \(command): \(result.stderr)")
            }
            let listed = try run.runUnprivileged(["--db", store, "list"])
            #expect(listed.stdout.contains("is-a-pmo-senior"), "\(sub): \(listed.stdout)")
            let edit = try run.runUnprivileged(["--db", store, "edit", "1", "--set", "title=Changed?"])
            #expect(edit.status == 1, "\(sub): \(edit.stdout)")
            #expect(edit.stderr.contains("read-only") && !edit.stderr.contains("SQLite error"), "\(sub): \(edit.stderr)")
            #expect(Self.bytes(store) == before, "\(sub): the store is unchanged")
        }
    }

    @Test("a damaged store is reported as damaged, with what to do, not as SQLite error 11", .sqliteOnly("a damaged SQLite file"))
    func corruptStore() throws {
        let run = try Self.storeWithEntry()
        defer { try? FileManager.default.removeItem(at: run.directory) }
        var data = try #require(Self.bytes(run.storePath))
        // Keep the 100-byte header (it is still an SQLite file), scramble every page after the first.
        for index in 4096..<data.count { data[index] = UInt8(truncatingIfNeeded: index &* 131) }
        try data.write(to: URL(fileURLWithPath: run.storePath))
        for command in [["list"], ["export", "json"], ["show", "1"]] {
            let result = try run.run(command)
            #expect(result.status == 1)
            #expect(result.stderr.contains("damaged") && result.stderr.contains("backup") && !result.stderr.contains("SQLite error"),
                    "\(command): \(result.stderr)")
        }
    }

    // MARK: Item 13.9: backup's errors

    @Test("backup refuses -, a missing folder and an existing file with clear errors, and leaves nothing behind", .sqliteOnly("backup to a file (PostgreSQL: pg_dump, BackupAdviceTests)"))
    func backupErrors() throws {
        let run = try Self.storeWithEntry()
        defer { run.cleanup() }
        let dash = try run.run(["backup", "-"])
        #expect(dash.status == 2 && dash.stderr.contains("standard output"), "\(dash.stderr)")
        #expect(!FileManager.default.fileExists(atPath: run.directory.path + "/-"))
        let missing = try run.run(["backup", "nowhere/b.sqlite"])
        #expect(missing.status == 1, "\(missing.stdout)")
        #expect(missing.stderr.contains("does not exist") && !missing.stderr.contains("SQLite error"), "\(missing.stderr)")
        try Data("precious".utf8).write(to: run.directory.appendingPathComponent("taken.sqlite"))
        let taken = try run.run(["backup", "taken.sqlite"])
        #expect(taken.status == 1 && taken.stderr.contains("exists already"), "\(taken.stderr)")
        #expect(Self.bytes(run.directory.path + "/taken.sqlite") == Data("precious".utf8))
        try FileManager.default.removeItem(atPath: run.directory.path + "/taken.sqlite")
        #expect(try run.run(["backup", "copy.sqlite"]).status == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: run.directory.path).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty, "no temporary file is left: \(left)")
    }

    // MARK: Items 14.5, 14.6: what an import reads from a folder

    static func page(_ title: String) -> String {
        "<html><head><title>\(title)</title></head><body><h1>\(title)</h1><p>The answer to \(title.lowercased())</p></body></html>"
    }

    @Test("links out of an imported folder are skipped by name; links inside it are followed; an unreadable subfolder is a named error, exit 1")
    func importFolderLinks() throws {
        let run = try PMCMSRun()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: run.directory.path + "/site/locked")
            run.cleanup()
        }
        let folder = run.directory.path
        let fm = FileManager.default
        for sub in ["site/faq", "site/locked", "outside"] { try fm.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true) }
        try Self.page("Is this page inside?").write(toFile: folder + "/site/inside.html", atomically: false, encoding: .utf8)
        try Self.page("Is this one in a subfolder?").write(toFile: folder + "/site/faq/deeper.html", atomically: false, encoding: .utf8)
        try Self.page("Is this secret outside?").write(toFile: folder + "/outside/secret.html", atomically: false, encoding: .utf8)
        try Self.page("Is this one locked away?").write(toFile: folder + "/site/locked/hidden.html", atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: folder + "/site/passwd.html", withDestinationPath: "/etc/passwd")
        try fm.createSymbolicLink(atPath: folder + "/site/secret.html", withDestinationPath: "../outside/secret.html")
        try fm.createSymbolicLink(atPath: folder + "/site/outside-folder", withDestinationPath: folder + "/outside")
        try fm.createSymbolicLink(atPath: folder + "/site/faq/linked.html", withDestinationPath: "../inside.html")
        try fm.createSymbolicLink(atPath: folder + "/site/faq/loop", withDestinationPath: "..")

        let result = try run.run(["import", "site", "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let summary = try result.object()
        let skipped = (summary["skipped"] as? [[String: String]] ?? []).reduce(into: [String: String]()) {
            $0[URL(fileURLWithPath: $1["file"] ?? "").lastPathComponent] = $1["reason"]
        }
        #expect(skipped["passwd.html"]?.contains("outside the imported folder") == true, "\(skipped)")
        #expect(skipped["secret.html"]?.contains("outside the imported folder") == true, "\(skipped)")
        #expect(skipped["outside-folder"]?.contains("outside the imported folder") == true, "\(skipped)")
        let titles = try run.run(["list", "--json"]).stdout
        #expect(titles.contains("Is this page inside?") && titles.contains("Is this one in a subfolder?"), "\(titles)")
        #expect(!titles.contains("secret") && !titles.contains("root:"), "nothing from outside was imported: \(titles)")
        let text = try run.run(["import", "site", "--dry-run"])
        #expect(text.stdout.contains("skipped") && text.stdout.contains("passwd.html: a symbolic link to /etc/passwd"), "\(text.stdout)")
        // A file named on the command line is the user's choice, even a link out.
        #expect(try run.run(["import", "site/secret.html"]).status == 0)

        // An unreadable subfolder, as a user who cannot read it (root reads everything).
        try fm.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder)
        try fm.setAttributes([.posixPermissions: 0o000], ofItemAtPath: folder + "/site/locked")
        let locked = try run.runUnprivileged(["--db", folder + "/other.sqlite", "import", folder + "/site", "--json"])
        #expect(locked.status == 1, "\(locked.stdout)\(locked.stderr)")
        let errors = try locked.object()["errors"] as? [[String: String]] ?? []
        #expect(errors.contains { $0["file"] == folder + "/site/locked" && $0["reason"]?.contains("cannot read the folder") == true }, "\(errors)")
    }

    // MARK: Items 14.7, 13.8: size limits and what --body-file reads

    @Test("--max-size is checked on a link's target before reading; standard input and endless inputs stop at the limit")
    func sizeLimits() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        let folder = run.directory.path
        // A sparse 3 GB file behind a link: refused by its size, without reading it.
        let big = folder + "/big.html"
        try #require(FileManager.default.createFile(atPath: big, contents: nil))
        try #require(truncate(big, 3_000_000_000) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.html", withDestinationPath: "big.html")
        let linked = try #require(try run.runBounded(["import", "link.html", "--max-size", "1000", "--json"]))
        #expect(linked.status == 1)
        #expect(linked.stdout.contains("3000000000 bytes, over the 1000-byte limit"), "\(linked.stdout)")
        // Endless inputs: standard input and a device, for import and for --body-file.
        try #require(try run.run(["new", "--kind", "question", "--title", "Is a body limited?"]).status == 0)
        let zero = try #require(FileHandle(forReadingAtPath: "/dev/zero"))
        let piped = try #require(try run.runBounded(["import", "-", "--max-size", "1000", "--base-url", "https://example.org/p"], input: zero))
        #expect(piped.status == 1 && piped.stderr.contains("1000-byte limit"), "\(piped.stderr)")
        let bodyPiped = try #require(try run.runBounded(["edit", "1", "--body-file", "-"], input: zero))
        #expect(bodyPiped.status == 1 && bodyPiped.stderr.contains("over the 20000000-byte limit"), "\(bodyPiped.stderr)")
        let bodyDevice = try #require(try run.runBounded(["edit", "1", "--body-file", "/dev/zero"]))
        #expect(bodyDevice.status == 1 && bodyDevice.stderr.contains("over the 20000000-byte limit"), "\(bodyDevice.stderr)")
        let bodyFolder = try run.run(["edit", "1", "--body-file", folder])
        #expect(bodyFolder.status == 1 && bodyFolder.stderr.contains("it is a folder"), "\(bodyFolder.stderr)")
        #expect(try run.run(["history", "1", "--json"]).stdout.components(separatedBy: "\"number\"").count == 2, "no revision was made")
    }

    @Test("--body-file reads a pipe from process substitution, as git commit -F does")
    func bodyFileFromProcessSubstitution() throws {
        let run = try PMCMSRun()
        defer { run.cleanup() }
        try #require(try run.run(["new", "--kind", "question", "--title", "Is a pipe read?"]).status == 0)
        let shell = try Subprocess.run(
            path: "/bin/bash", ["-c", "\"$0\" edit 1 --body-file <(printf 'Read from a pipe.')", PMCMSRun.executable.path],
            environment: run.environment, currentDirectory: run.directory)
        #expect(shell.status == 0, "\(shell.stderrText)")
        #expect(try run.run(["show", "1"]).stdout.contains("Read from a pipe."))
    }
}

extension PMCMSRun {
    /// Runs pmcms with `input` as its standard input, and stops it after `limit` seconds (then
    /// nil): a guard so that a pmcms that reads an endless input for ever fails the test
    /// instead of hanging it. No timing is asserted.
    func runBounded(_ arguments: [String], input: FileHandle? = nil, limit: TimeInterval = 120) throws -> Result? {
        let output = try Subprocess.run(
            Self.executable, arguments, environment: environment, standardInput: input ?? FileHandle.nullDevice,
            currentDirectory: directory, timeout: .milliseconds(Int64(limit * 1000)))
        return output.timedOut ? nil : Result(output)
    }

    /// Runs pmcms as an unprivileged user: root ignores file modes, so a test of permissions
    /// run as root drops them for the child (`setpriv`); anyone else runs it as themselves.
    func runUnprivileged(_ arguments: [String]) throws -> Result {
        guard getuid() == 0 else { return try run(arguments) }
        return Result(
            try Subprocess.run(
                path: "/usr/bin/setpriv",
                ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Self.executable.path] + arguments,
                environment: environment, currentDirectory: URL(fileURLWithPath: "/")))
    }
}
