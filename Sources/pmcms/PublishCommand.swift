import ArgumentParser
import PMCMS

struct PublishCommand: WorkflowCommand {
    static let action = WorkflowAction.publish
    static let configuration = help(
        "Make an approved entry live.",
        "The new revision becomes the live one: exports and feeds show it.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var step: WorkflowStep<PublishCommand>
}
