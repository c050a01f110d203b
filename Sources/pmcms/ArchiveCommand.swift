import ArgumentParser
import PMCMS

struct ArchiveCommand: WorkflowCommand {
    static let action = WorkflowAction.archive
    static let configuration = help(
        "Archive an entry.",
        "An archived entry is off the site and out of the workflow until restored.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var step: WorkflowStep<ArchiveCommand>
}
