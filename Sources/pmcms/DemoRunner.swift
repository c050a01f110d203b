import Foundation
import PMCMS

/// Runs pmcms commands as a user would type them, printing each command and its output, so the
/// demo shows real commands against a real store rather than a narration of library calls.
struct DemoRunner {
    let executable: String
    let directory: URL
    var environment: [String: String]
    var failures = 0

    init(directory: URL, storePath: String) {
        executable = Self.currentExecutable()
        self.directory = directory
        var env = ProcessInfo.processInfo.environment
        env["PMCMS_DB"] = URL(fileURLWithPath: storePath).lastPathComponent
        env["NO_COLOR"] = "1"
        env["PMCMS_AUTHOR"] = env["PMCMS_AUTHOR"] ?? "demo"
        environment = env
    }

    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    func section(_ title: String) {
        print("\n" + Terminal.styled("== \(title)", .bold))
    }

    /// Runs `pmcms ARGS`, with `input` on standard input (shown as `printf '…' |`), and
    /// `extraEnvironment` shown before the command. Returns the exit status and output.
    @discardableResult
    mutating func run(
        _ arguments: [String], input: String? = nil, extraEnvironment: [String: String] = [:],
        expect expectedStatus: Int32 = 0, quiet: Bool = false
    ) -> (status: Int32, output: String) {
        var shown = "$ "
        if let input { shown += "printf \(Self.quote(input)) | " }
        for (key, value) in extraEnvironment.sorted(by: { $0.key < $1.key }) { shown += "\(key)=\(Self.quote(value)) " }
        shown += (["pmcms"] + arguments).map(Self.quote).joined(separator: " ")
        print(Terminal.styled(shown, .cyan))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment.merging(extraEnvironment) { $1 }
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stdout
        process.standardInput = stdin
        do {
            try process.run()
        } catch {
            print("  could not start \(executable): \(error)")
            failures += 1
            return (-1, "")
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if !quiet || process.terminationStatus != expectedStatus {
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            let shownLines = lines.count > 40 ? Array(lines.prefix(36)) + ["  … (\(lines.count - 36) more lines)"] : lines
            print(shownLines.joined(separator: "\n").trimmingCharacters(in: .newlines))
        } else {
            let count = output.split(separator: "\n").count
            print(Terminal.styled("  (\(Plural.count(count, "line")) of output, not shown here; run it to see them)", .dim))
        }
        if process.terminationStatus != expectedStatus {
            print(Terminal.styled("  (exit \(process.terminationStatus), expected \(expectedStatus))", .red))
            failures += 1
        } else if expectedStatus != 0 {
            print(Terminal.styled("  (exit \(expectedStatus), as expected)", .dim))
        }
        return (process.terminationStatus, output)
    }

    static func quote(_ text: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@+%")
        if !text.isEmpty && text.unicodeScalars.allSatisfy({ safe.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
