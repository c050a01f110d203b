import ArgumentParser
import PMCMS

struct ArchiveCommand: WorkflowCommand {
    static let action = WorkflowAction.archive
    static let configuration = help(
        "Archive an entry.",
        "An archived entry is off the site and out of the workflow until restored.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The entry's id or slug.") var ref: String
    @Option(name: .shortAndLong, help: "A message for the revision.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
}
