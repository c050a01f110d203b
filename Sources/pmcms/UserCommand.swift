// Public: a conformance of a public library type (below) is as public as the type.
public import ArgumentParser
import Foundation
import PMCMS
import Web

extension Role: ExpressibleByArgument {}

/// `pmcms user`: the accounts people log in to `pmcms serve` with. Only a table of subcommands.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the accounts of the review desk (pmcms serve).",
        discussion: """
            People who review in the browser log in with an account: a name, which signs every \
            revision they make there, and a role. Each role may do what the one above may:
              writer     create, edit, submit, revert (a revert is a new draft)
              reviewer   also approve and reject, not a change of their own
                         (unless `pmcms config review.self_approve true`)
              publisher  also publish, unpublish, archive and restore
              admin      also accounts and settings
            Once the store has an account, the desk is entered by account only (no login link), \
            and it may listen beyond this machine. Passwords are stored as bcrypt hashes; every \
            change to an account is logged with who made it (--author). `pmcms user` alone \
            lists the accounts.

            Examples:
              pmcms user add alice --role reviewer      # asks for the password twice
              printf '%s\\n' "$PW" | pmcms user add bob --role writer --password-stdin
              pmcms user list --json
              pmcms user passwd alice
              pmcms user remove bob
            """,
        subcommands: [UserAddCommand.self, UserListCommand.self, UserPasswdCommand.self, UserRemoveCommand.self],
        defaultSubcommand: UserListCommand.self)

    /// The bcrypt hasher every account command uses (hummingbird-auth's, through `Web`).
    static let hasher = BcryptHasher()
}

/// Where a new password comes from: a prompt without echo on a terminal, else one line of
/// standard input with `--password-stdin`.
struct PasswordInput: ParsableArguments {
    @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input (for scripts).")
    var fromStdin = false

    /// The password, asked for (twice, to catch a typo) or read.
    func read(for name: String) throws -> String {
        if fromStdin {
            guard let line = Swift.readLine(strippingNewline: true) else {
                throw CLIError.usage("--password-stdin: standard input is empty; send the password on its first line")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        guard Terminal.stdinIsTerminal else {
            throw CLIError.usage("no terminal to ask the password on; send it on standard input with --password-stdin")
        }
        let first = try Self.prompt("Password for \(name): ")
        if let problem = AccountRules.passwordProblem(first) { throw CLIError(message: problem) }
        let second = try Self.prompt("Again, to check: ")
        guard first == second else { throw CLIError(message: "the two passwords differ; nothing was changed") }
        return first
    }

    /// One line from the terminal with echo off (restored however reading ends).
    static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw CLIError(message: "cannot turn off the terminal's echo") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0 else { throw CLIError(message: "cannot turn off the terminal's echo") }
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = Swift.readLine(strippingNewline: true) else { throw CLIError(message: "no password given") }
        return line
    }
}
