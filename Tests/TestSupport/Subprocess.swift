// Public: the results are Foundation values (Data, URL).
public import Foundation

/// Runs a program to completion and captures what it printed: the one subprocess runner the
/// test targets share (the `pmcms` binary, `sqlite3`, `python3` and other outside tools).
public enum Subprocess {
    /// What a finished run left behind.
    public struct Output: Sendable {
        /// The exit status, or the signal number if the program was killed by one
        /// (`Process.terminationStatus`).
        public let status: Int32
        /// Everything the program wrote to standard output.
        public let stdout: Data
        /// Everything the program wrote to standard error.
        public let stderr: Data
        /// True when the program outran its timeout and was killed with SIGKILL.
        public let timedOut: Bool

        /// Standard output decoded as UTF-8 (invalid bytes become U+FFFD).
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// Standard error decoded as UTF-8 (invalid bytes become U+FFFD).
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// How long `run` waits for a program unless told otherwise: far longer than any test's
    /// program needs, so it only stops a hung child from hanging the whole test run.
    public static let defaultTimeout: Duration = .seconds(600)

    /// Runs `executable` with `arguments` and waits for it to exit.
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` inherits this process's.
    ///   - input: bytes written to the child's standard input through a pipe that is then
    ///     closed; `nil` gives it `/dev/null`.
    ///   - currentDirectory: the child's working directory; `nil` keeps this process's.
    ///   - timeout: after this long the child is killed with SIGKILL and the output says
    ///     `timedOut`. SIGKILL, not `Process.terminate()`: a child started from a test thread
    ///     inherits that thread's signal mask, where SIGTERM may be blocked, so SIGTERM was
    ///     seen not to stop it.
    /// - Throws: whatever `Process.run()` throws when the program cannot be started.
    public static func run(
        _ executable: URL, _ arguments: [String] = [], environment: [String: String]? = nil,
        input: Data? = nil, currentDirectory: URL? = nil, timeout: Duration = defaultTimeout
    ) throws -> Output {
        let inPipe = input.map { _ in Pipe() }
        return try launch(
            executable, arguments, environment: environment, standardInput: inPipe ?? FileHandle.nullDevice,
            currentDirectory: currentDirectory, timeout: timeout
        ) {
            guard let inPipe, let input else { return }
            // A child that exits without reading its input must not fail the run: the bytes
            // are then simply not wanted.
            try? inPipe.fileHandleForWriting.write(contentsOf: input)
            try? inPipe.fileHandleForWriting.close()
        }
    }

    /// Runs `executable` reading `standardInput` (a file or device, say `/dev/zero`, that may
    /// never end); otherwise as `run(_:_:environment:input:currentDirectory:timeout:)`.
    public static func run(
        _ executable: URL, _ arguments: [String] = [], environment: [String: String]? = nil,
        standardInput: FileHandle, currentDirectory: URL? = nil, timeout: Duration = defaultTimeout
    ) throws -> Output {
        try launch(
            executable, arguments, environment: environment, standardInput: standardInput,
            currentDirectory: currentDirectory, timeout: timeout) {}
    }

    /// Starts the child, calls `feed` (which writes its input, if any), and collects the
    /// outputs within the timeout.
    private static func launch(
        _ executable: URL, _ arguments: [String], environment: [String: String]?, standardInput: Any,
        currentDirectory: URL?, timeout: Duration, feed: () -> Void
    ) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = standardInput
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()

        // Read both pipes concurrently so a chatty program cannot fill one and block. The
        // group's wait orders the readers' writes before the reads below.
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: readers) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        feed()

        let (seconds, attoseconds) = timeout.components
        let deadline = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        var timedOut = false
        if exited.wait(timeout: deadline) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        readers.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: outData, stderr: errData, timedOut: timedOut)
    }

    /// Runs the program at `path`; see `run(_:_:environment:input:currentDirectory:timeout:)`.
    public static func run(
        path: String, _ arguments: [String] = [], environment: [String: String]? = nil,
        input: Data? = nil, currentDirectory: URL? = nil, timeout: Duration = defaultTimeout
    ) throws -> Output {
        try run(
            URL(fileURLWithPath: path), arguments, environment: environment, input: input,
            currentDirectory: currentDirectory, timeout: timeout)
    }
}
