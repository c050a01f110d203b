import Foundation
import Testing
import TestBackends
import TestSupport

/// Runs the built `pmcms` binary as a subprocess against a temporary store, as a user would.
struct PMCMSRun {
    /// A fresh folder with its own store path; removed by `cleanup()`.
    let directory: URL
    var environment: [String: String]
    /// The binary `run` starts; only the harness's own test changes it.
    var binary = PMCMSRun.executable

    /// The store the commands use (`PMCMS_DB`): `pmcms.sqlite` in `directory`, not made yet; or,
    /// with `PMCMS_TEST_BACKEND=postgres`, the postgres:// address of a new empty database
    /// (`TestBackend`), which `cleanup()` drops. A test that treats it as a file is `.sqliteOnly`.
    let storePath: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        storePath = try TestBackend.newStore(in: directory, name: "pmcms.sqlite")
        var env = ProcessInfo.processInfo.environment
        env["PMCMS_DB"] = storePath
        env["PMCMS_AUTHOR"] = "tester"
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "VISUAL")
        env.removeValue(forKey: "EDITOR")
        // A PostgreSQL store has no folder beside it: its recovery files go to the state folder,
        // here the test's own, never the home of whoever runs the tests.
        env["XDG_STATE_HOME"] = directory.appendingPathComponent("state").path
        environment = env
    }

    /// The `pmcms` executable built beside this test bundle.
    static var executable: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidate = bundleDirectory
        // swift-testing may run from inside the .xctest bundle folder on some layouts.
        for _ in 0..<4 {
            let binary = candidate.appendingPathComponent("pmcms")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
            candidate = candidate.deletingLastPathComponent()
        }
        return bundleDirectory.appendingPathComponent("pmcms")
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }

        /// The output of a finished subprocess, decoded as UTF-8.
        init(_ output: Subprocess.Output) {
            self.init(status: output.status, stdout: output.stdoutText, stderr: output.stderrText)
        }

        /// The standard output parsed as JSON.
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        }

        func object() throws -> [String: Any] {
            guard let object = try json() as? [String: Any] else { throw HarnessError.notAnObject(stdout) }
            return object
        }
    }

    enum HarnessError: Error { case notAnObject(String) }

    /// Runs `pmcms ARGS` with `input` on standard input and extra environment variables.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, env extra: [String: String] = [:]) throws -> Result {
        // Standard input is always a pipe (empty when there is no input), as a shell's would be.
        Result(
            try Subprocess.run(
                binary, arguments, environment: environment.merging(extra) { $1 },
                input: Data((input ?? "").utf8), currentDirectory: directory))
    }

    /// Runs `pmcms ARGUMENTS` on a terminal that script(1) provides (for progress bars and the
    /// pager); `stdout` is the terminal's transcript. `arguments` is the tail of a shell command
    /// line: the caller quotes what needs quoting.
    func runInTerminal(_ arguments: String, env extra: [String: String] = [:]) throws -> Result {
        Result(
            try Subprocess.run(
                path: "/usr/bin/script", ["-qec", "\(binary.path) \(arguments)", "/dev/null"],
                environment: environment.merging(extra) { $1 }, currentDirectory: directory))
    }

    /// Runs `pmcms ARGS` under `/usr/bin/time` and returns its exit status, standard output
    /// and peak resident memory in KiB. Not `wait4` on a child spawned from this process: a
    /// child made with vfork/posix_spawn carries this (large, parallel) test process's
    /// high-water mark through exec, while `time` forks pmcms from its own small image.
    func peakMemory(
        _ arguments: [String], env extra: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (status: Int32, kib: Int, stdout: String) {
        let report = directory.appendingPathComponent("rss-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let output = try Subprocess.run(
            path: "/usr/bin/time", ["-f", "%M", "-o", report.path, binary.path] + arguments,
            environment: environment.merging(extra) { $1 }, currentDirectory: directory)
        let text = try String(contentsOf: report, encoding: .utf8)
        let kib = try #require(
            text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last,
            "no figure from /usr/bin/time: \(text)", sourceLocation: sourceLocation)
        return (output.status, kib, output.stdoutText)
    }

    /// Writes an executable shell script into the folder (for `EDITOR`), returning its path.
    func script(_ name: String, _ body: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body).write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// Runs the `sqlite3` CLI on the store.
    func sqlite(_ sql: String) throws -> Result {
        Result(try Subprocess.run(path: "/usr/bin/sqlite3", [storePath, sql]))
    }

    /// Whether the store is a PostgreSQL database (`PMCMS_TEST_BACKEND=postgres`).
    var isPostgres: Bool { !storePath.hasPrefix("/") }

    /// Runs SQL the two backends share on the store with its own client, as an outside tool
    /// would: `sqlite3`, or `psql` printing rows as sqlite3 does (`a|b|c`, NULL as nothing).
    func query(_ sql: String) throws -> Result {
        guard isPostgres else { return try sqlite(sql) }
        return Result(try Subprocess.run(
            path: "/usr/bin/env", ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", storePath],
            input: Data(sql.utf8)))
    }

    /// Runs another program (a real consumer of an export) by its path, without standard input.
    static func tool(_ executable: String, _ arguments: [String]) throws -> Result {
        Result(try Subprocess.run(path: executable, arguments))
    }

    /// Runs `pmcms verify` on every store the test left in its folder (and on its PostgreSQL
    /// store, when it has one and the test made it), recording an issue for any that fails, then
    /// removes the folder and drops the database: no test may leave a store that breaks an invariant.
    func cleanup(sourceLocation: SourceLocation = #_sourceLocation) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var stores = files.filter { $0.hasSuffix(".sqlite") }.map { directory.appendingPathComponent($0).path }
        if !stores.contains(storePath), !storePath.hasPrefix("/") { stores.append(storePath) }
        for path in stores {
            do {
                let result = try run(["--db", path, "verify"])
                // A database no command made is no store yet, as a missing file is none.
                if result.status != 0, !path.hasPrefix("/"), result.stderr.contains("holds no pmcms store") { continue }
                if result.status != 0 {
                    Issue.record("pmcms verify failed on \(path): \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
                }
            } catch {
                // A store nobody could check is not a store that passed.
                Issue.record("pmcms verify could not be run on \(path): \(error)", sourceLocation: sourceLocation)
            }
        }
        try? FileManager.default.removeItem(at: directory)
        TestBackend.remove(storePath)
    }
}
