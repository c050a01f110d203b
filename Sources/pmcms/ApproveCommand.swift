import ArgumentParser
import PMCMS

struct ApproveCommand: WorkflowCommand {
    static let action = WorkflowAction.approve
    static let configuration = help(
        "Approve an entry in review.",
        "An approved entry is ready to publish.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var step: WorkflowStep<ApproveCommand>
}
