import ArgumentParser
import Foundation
import PMCMS

struct RejectCommand: WorkflowCommand {
    static let action = WorkflowAction.reject
    static let configuration = help(
        "Send an entry in review back to draft, saying why.",
        "A message is required: it tells the author what to change.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The entry's id or slug.") var ref: String
    @Option(name: .shortAndLong, help: "Why the entry is rejected (required).") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?

    func validate() throws {
        if (message ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("reject needs a message that tells the author what to change: -m \"why\"")
        }
    }
}
