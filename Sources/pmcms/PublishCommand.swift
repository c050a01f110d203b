import ArgumentParser
import PMCMS

struct PublishCommand: WorkflowCommand {
    static let action = WorkflowAction.publish
    static let configuration = help(
        "Make an approved entry live.",
        "The new revision becomes the live one: exports and feeds show it.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The entry's id or slug.") var ref: String
    @Option(name: .shortAndLong, help: "A message for the revision.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
}
