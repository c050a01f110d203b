import ArgumentParser
import Foundation
import PMCMS

struct RejectCommand: WorkflowCommand {
    static let action = WorkflowAction.reject
    static let configuration = help(
        "Send an entry in review back to draft, saying why.",
        "A message is required: it tells the author what to change.")

    static let messageHelp = "Why the entry is rejected (required)."

    @OptionGroup var global: GlobalOptions
    @OptionGroup var step: WorkflowStep<RejectCommand>

    func validate() throws {
        if (step.message ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("reject needs a message that tells the author what to change: -m \"why\"")
        }
    }
}
