/// An error the CLI reports with its own exit code (1 failure, 2 usage, 3 stale).
struct CLIError: Error {
    let message: String
    var code: Int32 = 1

    static func usage(_ message: String) -> CLIError { CLIError(message: message, code: 2) }
    static func stale(_ message: String) -> CLIError { CLIError(message: message, code: 3) }
}
