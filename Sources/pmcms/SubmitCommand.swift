import ArgumentParser
import PMCMS

struct SubmitCommand: WorkflowCommand {
    static let action = WorkflowAction.submit
    static let configuration = help(
        "Send a draft for review.",
        "The entry waits in the review queue (`pmcms review`) until someone approves or rejects it.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var step: WorkflowStep<SubmitCommand>
}
