import ArgumentParser
import PMCMS

struct RestoreCommand: WorkflowCommand {
    static let action = WorkflowAction.restore
    static let configuration = help(
        "Bring an archived entry back as a draft.",
        "The entry's content is unchanged; it can then be submitted again.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The entry's id or slug.") var ref: String
    @Option(name: .shortAndLong, help: "A message for the revision.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
}
