import ArgumentParser
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
        /// Bold yellow: a search's matched words.
        case highlight = "1;33"
    }

    /// Styles `text`. The escape sequences are marked with a token no content can contain (it
    /// is random per process), so that `sanitized` can escape every control character that
    /// came from content and keep only pmcms's own styling.
    static func styled(_ text: String, _ style: Style) -> String {
        guard colorEnabled else { return text }
        let (open, close) = bounds(style)
        return open + text + close
    }

    /// What starts and ends `style` (for marks put into text by something else, as a search's
    /// snippet marks its words), in the marked form `sanitized` keeps.
    static func bounds(_ style: Style) -> (open: String, close: String) {
        ("\(styleMark)[\(style.rawValue)m", "\(styleMark)[0m")
    }

    /// Stands for ESC in styled text until `sanitized` writes it out.
    static let styleMark = "\u{E000}\(UInt64.random(in: 1...UInt64.max))\u{E001}"

    /// Terminal control characters from content (ESC, OSC, BEL, every other C0 and C1 character
    /// and DEL) written as visible escapes, as git does, so that a title cannot retitle the
    /// terminal window, hide text or forge lines. Newlines and tabs stay: bodies have them.
    static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) || text.contains(styleMark) else { return text }
        return text.components(separatedBy: styleMark).map { piece in
            var out = ""
            out.unicodeScalars.reserveCapacity(piece.unicodeScalars.count)
            for scalar in piece.unicodeScalars {
                if isControl(scalar) { out += escape(scalar) } else { out.unicodeScalars.append(scalar) }
            }
            return out
        }.joined(separator: "\u{1B}")
    }

    /// A field that must stay on one line (an author, a message, a file name): its line breaks
    /// are escaped too, so that it cannot forge a line of its own.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else { return text }
        return text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v)
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x07: "\\a"
        case 0x08: "\\b"
        case 0x0C: "\\f"
        case 0x0D: "\\r"
        case 0x1B: "\\e"
        default: "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPad(2).replacingOccurrences(of: " ", with: "0")
        }
    }

    /// Writes a line to standard error, its control characters escaped.
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data((sanitized(message) + "\n").utf8))
    }
}

/// Every line a command prints goes through here: this shadows the standard library's `print`
/// in this module, so that no command can write a content's control characters to a terminal,
/// and so that long output can go through the pager.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator) + terminator
    Pager.write(Terminal.sanitized(text))
}

/// Long output (`show`, `log`, `diff`, `blame`, `check --full`) through `$PAGER`, as git does:
/// only when standard output is a terminal, never when it is piped, and not with `--no-pager`.
enum Pager {
    nonisolated(unsafe) private static var pipe: FileHandle?
    nonisolated(unsafe) private static var pid: pid_t = 0
    nonisolated(unsafe) private static var closed = false
    /// Standard output, buffered (one write per line would cost a system call each); flushed at exit.
    nonisolated(unsafe) private static let standardOutput = fdopen(STDOUT_FILENO, "w")

    /// The pager command: `$PAGER`, else `less -FRX`; empty or `cat` means none.
    static var command: String? {
        let command = ProcessEnvironment.value("PAGER") ?? "less -FRX"
        let trimmed = command.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
    }

    /// Starts the pager when standard output is a terminal and the person did not say --no-pager.
    static func start(unless noPager: Bool) {
        guard !noPager, Terminal.stdoutIsTerminal, pipe == nil, let command else { return }
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { return }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let arguments = ["/bin/sh", "-c", command]
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        // less reads LESS for its options; git sets FRX when it is unset, and so do we.
        if getenv("LESS") == nil { setenv("LESS", "FRX", 1) }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, "/bin/sh", &actions, nil, &cArguments, environ)
        close(fds[0])
        guard spawned == 0 else {
            close(fds[1])
            return
        }
        pid = child
        pipe = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
        // Quitting the pager early closes the pipe: stop writing rather than die of SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        atexit { Pager.finish() }
    }

    static func write(_ text: String) {
        guard let pipe else {
            if let standardOutput { fputs(text, standardOutput) }
            return
        }
        guard !closed else { return }
        do {
            try pipe.write(contentsOf: Data(text.utf8))
        } catch {
            closed = true
        }
    }

    /// Closes the pager's input and waits for the person to quit it.
    static func finish() {
        guard let handle = pipe else { return }
        pipe = nil
        try? handle.close()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}

/// `--no-pager` for commands with long output.
struct PagerFlag: ParsableArguments {
    @Flag(name: .customLong("no-pager"), help: "Do not send the output through $PAGER (it is used only on a terminal).")
    var noPager = false
}
