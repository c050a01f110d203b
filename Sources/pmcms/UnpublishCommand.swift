import ArgumentParser
import PMCMS

struct UnpublishCommand: WorkflowCommand {
    static let action = WorkflowAction.unpublish
    static let configuration = help(
        "Take a published entry off the site.",
        "The entry goes back to draft and has no live revision until it is published again.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The entry's id or slug.") var ref: String
    @Option(name: .shortAndLong, help: "A message for the revision.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
}
