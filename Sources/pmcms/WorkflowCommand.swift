import ArgumentParser
import PMCMS

/// What every workflow command shares: one entry, an optional message, one transition.
protocol WorkflowCommand: ParsableCommand {
    static var action: WorkflowAction { get }
    /// The help of `-m` (reject's message is required, and says why).
    static var messageHelp: String { get }
    var global: GlobalOptions { get }
    var step: WorkflowStep<Self> { get }
}

/// The arguments of a workflow step, declared once for the seven commands: the entry, a message
/// for the revision, and the stale-write guard. Generic over the command only for `-m`'s help.
struct WorkflowStep<Command: WorkflowCommand>: ParsableArguments {
    @OptionGroup var target: EntryRef
    @Option(name: .shortAndLong, help: ArgumentHelp(Command.messageHelp)) var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
}

extension WorkflowCommand {
    static var messageHelp: String { "A message for the revision." }

    static func help(_ abstract: String, _ discussion: String) -> CommandConfiguration {
        CommandConfiguration(
            commandName: action.rawValue,
            abstract: abstract,
            discussion: """
                \(discussion)

                Moves \(action.allowedFrom.map(\.rawValue).joined(separator: " or ")) → \(action.target.rawValue), \
                as one revision with origin "workflow".

                Example:
                  pmcms \(action.rawValue) is-pmo-more-senior-than-project-manager -m "\(action == .reject ? "the answer needs a source" : "looks good")"
                """)
    }

    func run() throws {
        let store = try global.openStore(.write)
        let result = try store.transition(step.target.ref, Self.action, author: global.authorName, message: step.message, expectRevision: step.expectRev)
        var line = "\(result.header.slug): \(Self.action.target.rawValue) (r\(result.header.head))"
        if let live = result.header.live { line += " · live r\(live)" } else if Self.action == .unpublish || Self.action == .archive { line += " · off the site" }
        print(line)
    }
}
