import ArgumentParser
import PMCMS

struct UserPasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Give an account a new password.",
        discussion: """
            Asks for the new password twice without echo, or reads it from standard input with \
            --password-stdin. The person's open sessions stay open.

            Examples:
              pmcms user passwd alice
              printf '%s\\n' "$PASSWORD" | pmcms user passwd alice --password-stdin
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The account's name.") var name: String
    @OptionGroup var password: PasswordInput

    func run() throws {
        let store = try global.openStore(.write)
        guard let account = try store.account(named: name) else { throw StoreError.unknownAccount(name: name) }
        let secret = try password.read(for: account.name)
        try store.setPassword(account.name, password: secret, by: global.authorName, hasher: UserCommand.hasher)
        print("new password for \(account.name)")
    }
}
