import Foundation
import Testing
import TestSupport

@Suite("Test support: seeded generator and subprocess runner")
struct TestSupportTests {
    @Test("the generator is SplitMix64: seed 0 gives the published first values")
    func splitMix64() {
        // The reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c), so a seed a
        // failing test printed replays the same case with any copy of the algorithm.
        var random = SeededGenerator(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("standard input reaches the child and both outputs come back as bytes")
    func inputAndOutputs() throws {
        let input = Data((0..<256).map { UInt8($0) })
        let output = try Subprocess.run(path: "/bin/sh", ["-c", "cat; echo oops >&2; exit 3"], input: input)
        #expect(output.status == 3)
        #expect(output.stdout == input)
        #expect(output.stderrText == "oops\n")
        #expect(!output.timedOut)
    }

    @Test("a child that fills both pipes does not block the runner")
    func largeOutputs() throws {
        // 1 MiB on each stream, far past a pipe's buffer, written to stderr first.
        let script = "head -c 1048576 /dev/zero >&2; head -c 1048576 /dev/zero"
        let output = try Subprocess.run(path: "/bin/sh", ["-c", script])
        #expect(output.status == 0)
        #expect(output.stdout.count == 1_048_576)
        #expect(output.stderr.count == 1_048_576)
    }

    @Test("environment and working directory are the ones given")
    func environmentAndDirectory() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        let output = try Subprocess.run(
            path: "/bin/sh", ["-c", "printf '%s|%s' \"$PROBE\" \"$(pwd -P)\""],
            environment: ["PROBE": "value"], currentDirectory: folder)
        #expect(output.stdoutText == "value|\(folder.path)")
    }

    @Test("a child that outlives its timeout is killed with SIGKILL, even with SIGTERM ignored")
    func timeoutKills() throws {
        // `exec sleep` so the shell's pipes close with the child it became; SIGTERM is
        // ignored to show the runner does not rely on it.
        let output = try Subprocess.run(
            path: "/bin/sh", ["-c", "trap '' TERM; exec sleep 600"], timeout: .milliseconds(300))
        #expect(output.timedOut)
        #expect(output.status == SIGKILL)
    }
}
