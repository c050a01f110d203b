import ArgumentParser
import PMCMS

/// What every workflow command shares: one entry, an optional message, one transition.
protocol WorkflowCommand: ParsableCommand {
    static var action: WorkflowAction { get }
    var global: GlobalOptions { get }
    var ref: String { get }
    var message: String? { get }
    var expectRev: Int? { get }
}

extension WorkflowCommand {
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
        let result = try store.transition(ref, Self.action, author: global.authorName, message: message, expectRevision: expectRev)
        var line = "\(result.header.slug): \(Self.action.target.rawValue) (r\(result.header.head))"
        if let live = result.header.live { line += " · live r\(live)" } else if Self.action == .unpublish || Self.action == .archive { line += " · off the site" }
        print(line)
    }
}
