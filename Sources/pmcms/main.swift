import ArgumentParser
import Foundation
import PMCMS

// The brief's exit codes: 0 success, 1 failure, 2 usage error, 3 stale revision. The argument
// parser's own code for a usage error is 64, so errors are mapped here rather than in each command.
let arguments = GlobalOptions.hoisted(Array(CommandLine.arguments.dropFirst()))
do {
    var command = try PMCMSCommand.parseAsRoot(arguments)
    try command.run()
} catch let error as StoreError {
    Terminal.warn("pmcms: error: \(error.description)")
    if case .staleRevision = error { exit(3) }
    exit(1)
} catch let error as CLIError {
    Terminal.warn("pmcms: error: \(error.message)")
    exit(error.code)
} catch {
    let code = PMCMSCommand.exitCode(for: error)
    let message = PMCMSCommand.fullMessage(for: error)
    if code == .success {
        if !message.isEmpty { print(message) }
        exit(0)
    }
    if code == .validationFailure {
        Terminal.warn(message)
        exit(2)
    }
    if !message.isEmpty { Terminal.warn(message.hasPrefix("Error:") || message.hasPrefix("pmcms") ? message : "pmcms: error: \(message)") }
    exit(code.rawValue == 0 ? 1 : code.rawValue)
}
