import ArgumentParser
import PMCMS

struct UserRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove an account of the review desk.",
        discussion: """
            The person can no longer log in, and an open session of theirs ends at its next \
            request. Their revisions keep their name. When the last account goes, the desk is \
            entered with its one-time login link again, on this machine only.

            Example:
              pmcms user remove bob
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The account's name.") var name: String

    func run() throws {
        let store = try global.openStore(.write)
        try store.removeAccount(name, by: global.authorName)
        print("removed \(name)")
    }
}
