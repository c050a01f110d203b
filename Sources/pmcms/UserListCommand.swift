import ArgumentParser
import PMCMS

struct UserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the accounts of the review desk.",
        discussion: """
            One line per account: name, role, when it was added and last changed. --json prints \
            an array of {"name", "role", "created_at", "updated_at"} (never a password hash).

            Examples:
              pmcms user list
              pmcms user list --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: JSONFlag

    func run() throws {
        let accounts = try global.openStore(.read).accounts()
        if output.json {
            print(try JSONOutput.string(accounts, pretty: true))
            return
        }
        if accounts.isEmpty {
            print("no accounts: `pmcms serve` prints a one-time login link (add one with `pmcms user add NAME --role admin`)")
            return
        }
        let width = max(4, accounts.map { Terminal.oneLine($0.name).count }.max() ?? 0)
        for account in accounts {
            let name = Terminal.oneLine(account.name).padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(name)  \(account.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  added \(account.createdAt)  changed \(account.updatedAt)")
        }
    }
}
