import Foundation
import Testing
import TestBackends
import TestSupport

/// Runs pmcms as an unprivileged user when the tests run as root (as CI does), so that file
/// modes count: root may write anywhere.
extension PMCMSRun {
    var runsAsRoot: Bool { getuid() == 0 }

    /// Hands the test's folder to the user the child runs as.
    func handOverFolder() throws {
        guard runsAsRoot else { return }
        _ = try Subprocess.run(path: "/bin/chown", ["-R", "nobody:nogroup", directory.path])
    }

    func runUnprivileged(_ arguments: [String], env extra: [String: String] = [:]) throws -> Result {
        let (program, programArguments) = runsAsRoot
            ? (URL(fileURLWithPath: "/usr/bin/setpriv"),
               ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Self.executable.path] + arguments)
            : (Self.executable, arguments)
        return Result(
            try Subprocess.run(
                program, programArguments, environment: environment.merging(extra) { $1 },
                currentDirectory: directory))
    }
}

@Suite("End to end: recovery files when the usual folder cannot be written")
struct RecoveryFallbackTests {
    func setUp() throws -> PMCMSRun {
        let pm = try PMCMSRun()
        #expect(try pm.run(["new", "--kind", "question", "--title", "What is a PMO?", "--body-file", "-"], input: "First line.\n").status == 0)
        for name in ["home", "state", "tmp"] {
            try FileManager.default.createDirectory(at: pm.directory.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        // Someone else's recovery folder: the child may not write in it.
        let theirs = pm.directory.appendingPathComponent(".pmcms-recovery")
        try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
        try pm.handOverFolder()
        if pm.runsAsRoot {
            try FileManager.default.setAttributes([.ownerAccountID: 0, .groupOwnerAccountID: 0, .posixPermissions: 0o755], ofItemAtPath: theirs.path)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: theirs.path)
        }
        return pm
    }

    /// Makes every folder writable again so the test's folder can be removed without root.
    func restore(_ pm: PMCMSRun) {
        _ = try? Subprocess.run(path: "/bin/chmod", ["-R", "u+w", pm.directory.path])
    }

    func environment(_ pm: PMCMSRun, editor: String) -> [String: String] {
        ["EDITOR": editor, "HOME": pm.directory.appendingPathComponent("home").path,
         "XDG_STATE_HOME": pm.directory.appendingPathComponent("state").path,
         "TMPDIR": pm.directory.appendingPathComponent("tmp").path]
    }

    @Test("an unwritable .pmcms-recovery falls back to $XDG_STATE_HOME, then ~/.local/state, and says where")
    func fallsBack() throws {
        let pm = try setUp()
        defer { restore(pm); pm.cleanup() }
        let failing = try pm.script("fail.sh", "sed -i 's/^First line.$/Words I must not lose./' \"$1\"\nexit 1\n")
        let first = try pm.runUnprivileged(["edit", "1"], env: environment(pm, editor: failing))
        #expect(first.status == 1)
        #expect(!first.stderr.contains("NSCocoaErrorDomain"), "\(first.stderr)")
        let inState = pm.directory.appendingPathComponent("state/pmcms/recovery").path
        #expect(first.stderr.contains("Your text is in \(inState)/"), "\(first.stderr)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: inState)
        #expect(kept.count == 1)
        #expect(try String(contentsOfFile: "\(inState)/\(kept[0])", encoding: .utf8).contains("Words I must not lose."))

        // With the state folder taken too, ~/.local/state.
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: pm.directory.appendingPathComponent("state").path)
        if pm.runsAsRoot {
            try FileManager.default.setAttributes([.ownerAccountID: 0], ofItemAtPath: pm.directory.appendingPathComponent("state").path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: inState)
        let second = try pm.runUnprivileged(["edit", "1"], env: environment(pm, editor: failing))
        #expect(second.stderr.contains("Your text is in \(pm.directory.path)/home/.local/state/pmcms/recovery/"), "\(second.stderr)")
    }

    @Test("when no recovery folder can be written, the editor's own file is kept and named")
    func keepsEditorFile() throws {
        let pm = try setUp()
        defer { restore(pm); pm.cleanup() }
        // Every fallback is unwritable: the state and home folders now, the temporary folder
        // once the editor has its file in it.
        for name in ["home", "state"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: pm.directory.appendingPathComponent(name).path)
            if pm.runsAsRoot { try FileManager.default.setAttributes([.ownerAccountID: 0], ofItemAtPath: pm.directory.appendingPathComponent(name).path) }
        }
        let failing = try pm.script("fail.sh", "sed -i 's/^First line.$/Words I must not lose./' \"$1\"\nchmod 555 \"$TMPDIR\"\nexit 1\n")
        let result = try pm.runUnprivileged(["edit", "1"], env: environment(pm, editor: failing))
        #expect(result.status == 1)
        let tmp = pm.directory.appendingPathComponent("tmp").path
        #expect(result.stderr.contains("Your text is still in \(tmp)/"), "\(result.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0.hasSuffix(".md") }
        #expect(left.count == 1)
        #expect(try String(contentsOfFile: "\(tmp)/\(left.first ?? "")", encoding: .utf8).contains("Words I must not lose."))
    }
}
