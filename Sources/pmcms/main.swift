import ArgumentParser
import Foundation
import PMCMS

// The brief's exit codes: 0 success, 1 failure, 2 usage error, 3 stale revision. The argument
// parser's own code for a usage error is 64, so errors are mapped here rather than in each
// command. Every error is one `pmcms: error: …` line (then the usage, for a usage error) on
// standard error; with --json it is a JSON object there instead.
let arguments = GlobalOptions.hoisted(Array(CommandLine.arguments.dropFirst()))
let wantsJSON = arguments.contains("--json")

/// Reports an error the way the command line promises, then exits with `code`.
func fail(_ message: String, code: Int32, usage: String? = nil) -> Never {
    if wantsJSON {
        struct ErrorJSON: Encodable { let error: String, exit_code: Int32 }
        let json = (try? JSONOutput.string(ErrorJSON(error: message, exit_code: code), pretty: false)) ?? "{}"
        FileHandle.standardError.write(Data((json + "\n").utf8))
    } else {
        Terminal.warn("pmcms: error: \(message)")
        if let usage, !usage.isEmpty { Terminal.warn(usage) }
    }
    exit(code)
}

/// "Did you mean …" for an entry that does not exist, from the slugs of the store.
func unknownEntryMessage(_ error: StoreError, ref: String) -> String {
    var db: String?
    for (index, argument) in arguments.enumerated() {
        if argument == "--db", index + 1 < arguments.count { db = arguments[index + 1] }
        if argument.hasPrefix("--db=") { db = String(argument.dropFirst(5)) }
    }
    let close = (try? GlobalOptions.openStore(GlobalOptions.storePath(db: db), .write).slugsClose(to: ref)) ?? []
    guard !close.isEmpty else { return ErrorText.message(error) }
    return "no entry '\(ref)'; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))? (see `pmcms list`)"
}

if arguments.isEmpty {
    // Like git: no command is a usage error, with the help that lists the commands.
    Terminal.warn(PMCMSCommand.helpMessage())
    exit(2)
}
let commandNames = PMCMSCommand.configuration.subcommands.map { $0._commandName } + ["help"]
if let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first) {
    let close = Suggestions.closest(to: first, in: commandNames)
    fail("'\(first)' is not a pmcms command" + (close.isEmpty ? "" : "; did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?"),
         code: 2, usage: "See 'pmcms --help' for the commands.")
}

// Before parsing: built without PostgreSQL, a postgres:// store is refused here, rather than
// taken for a file's name.
#if !PostgreSQL
PostgresCLI.refuseUnsupported(arguments)
#endif

do {
    var command = try PMCMSCommand.parseAsRoot(arguments)
    if command is PMCMSCommand {
        Terminal.warn(PMCMSCommand.helpMessage())
        exit(2)
    }
    try command.run()
} catch let error as StoreError {
    switch error {
    case .staleRevision: fail(ErrorText.message(error), code: 3)
    case .unknownEntry(let ref): fail(unknownEntryMessage(error, ref: ref), code: 1)
    default: fail(ErrorText.message(error), code: 1)
    }
} catch let error as CLIError {
    fail(error.message, code: error.code)
} catch let error where error is ScheduleError || error is RevisionNameError || error is OutputError {
    // The core's other errors, with the command line's hints (ErrorText).
    fail(ErrorText.message(error), code: 1)
} catch {
    let code = PMCMSCommand.exitCode(for: error)
    let message = PMCMSCommand.fullMessage(for: error)
    if code == .success {
        if !message.isEmpty { print(message) }
        exit(0)
    }
    // The parser's message is "Error: what\nUsage: …": one prefix for every error.
    var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var first = lines.isEmpty ? "" : lines.removeFirst()
    if first.hasPrefix("Error: ") { first = String(first.dropFirst("Error: ".count)) }
    if first.hasPrefix("pmcms: error: ") { first = String(first.dropFirst("pmcms: error: ".count)) }
    if code == .validationFailure {
        fail(first, code: 2, usage: lines.joined(separator: "\n"))
    }
    if first.isEmpty { exit(code.rawValue == 0 ? 1 : code.rawValue) }
    fail(first, code: code.rawValue == 0 ? 1 : code.rawValue, usage: lines.joined(separator: "\n"))
}
