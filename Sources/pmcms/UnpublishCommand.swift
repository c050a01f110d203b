import ArgumentParser
import PMCMS

struct UnpublishCommand: WorkflowCommand {
    static let action = WorkflowAction.unpublish
    static let configuration = help(
        "Take a published entry off the site.",
        "The entry goes back to draft and has no live revision until it is published again.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var step: WorkflowStep<UnpublishCommand>
}
