import ArgumentParser
import PMCMS

struct RestoreCommand: WorkflowCommand {
    static let action = WorkflowAction.restore
    static let configuration = help(
        "Bring an archived entry back as a draft.",
        "The entry's content is unchanged; it can then be submitted again.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var step: WorkflowStep<RestoreCommand>
}
