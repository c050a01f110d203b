import ArgumentParser
import PMCMS

struct SubmitCommand: WorkflowCommand {
    static let action = WorkflowAction.submit
    static let configuration = help(
        "Send a draft for review.",
        "The entry waits in the review queue (`pmcms review`) until someone approves or rejects it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The entry's id or slug.") var ref: String
    @Option(name: .shortAndLong, help: "A message for the revision.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
}
