import ArgumentParser
import PMCMS

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account for the review desk.",
        discussion: """
            NAME is what the person types to log in and what signs their revisions: letters, \
            digits, '.', '_' and '-'. The password (8 to 72 bytes) is asked for twice without \
            echo, or read from standard input with --password-stdin. Creates the store if \
            there is none.

            Examples:
              pmcms user add alice --role admin
              printf '%s\\n' "$PASSWORD" | pmcms user add sam --role writer --password-stdin
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The account's name.") var name: String
    @Option(help: "writer, reviewer, publisher or admin.") var role: Role
    @OptionGroup var password: PasswordInput

    func validate() throws {
        if let problem = AccountRules.nameProblem(name) { throw ValidationError(problem) }
    }

    func run() throws {
        let store = try global.openStore(.create)
        if let existing = try store.account(named: name) { throw StoreError.accountExists(name: existing.name) }
        let secret = try password.read(for: name)
        let account = try store.addAccount(name, role: role, password: secret, by: global.authorName, hasher: UserCommand.hasher)
        print("added \(account.name) (\(account.role.rawValue))")
    }
}
