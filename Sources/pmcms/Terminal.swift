import Foundation
import PMCMS

/// Where output goes and how it looks: colour only on a terminal, and never with NO_COLOR.
enum Terminal {
    static let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    static let stdinIsTerminal = isatty(STDIN_FILENO) == 1

    /// Decided once: the environment and the terminal do not change while a command runs.
    static let colorEnabled: Bool = {
        if ProcessEnvironment.value("NO_COLOR").map({ !$0.isEmpty }) == true { return false }
        if ProcessEnvironment.value("TERM") == "dumb" { return false }
        return stdoutIsTerminal
    }()

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36"
    }

    static func styled(_ text: String, _ style: Style) -> String {
        colorEnabled ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Writes a line to standard error.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
