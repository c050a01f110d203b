import ArgumentParser
import PMCMS

struct ApproveCommand: WorkflowCommand {
    static let action = WorkflowAction.approve
    static let configuration = help(
        "Approve an entry in review.",
        "An approved entry is ready to publish.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The entry's id or slug.") var ref: String
    @Option(name: .shortAndLong, help: "A message for the revision.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
}
