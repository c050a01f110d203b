import ArgumentParser
import PMCMS

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store.",
        discussion: """
            Creates the SQLite file and its schema. `import` and `new` create a store too, so \
            this is only needed to set the site settings first. Running it on an existing store \
            migrates it to this version of pmcms and changes nothing else.

            Example:
              pmcms --db site.sqlite init
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try global.openStore(.create)
        print("store ready: \(store.path) (\(try store.count()) entries)")
    }
}
