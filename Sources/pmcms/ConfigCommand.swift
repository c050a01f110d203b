// Public: a conformance of a public library type (below) is as public as the type.
public import ArgumentParser
import PMCMS

extension SettingKey: ExpressibleByArgument {}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show or change the site settings kept in the store.",
        discussion: """
            Without arguments, lists every setting. With KEY, prints its value (exit 1 when it \
            is unset). With KEY VALUE, sets it. Keys: \(SettingKey.allCases.map(\.rawValue).joined(separator: ", ")).

            Examples:
              pmcms config site.title 'PM Training FAQ'
              pmcms config site.url https://www.example.org
              pmcms config feed.limit 20
              pmcms config --unset site.description
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The setting.") var key: SettingKey?
    @Argument(help: "The new value.") var value: String?
    @Flag(help: "Remove the setting.") var unset = false
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if unset && (key == nil || value != nil) { throw ValidationError("--unset takes a KEY and no value") }
        if let key, let value, let problem = key.problem(with: value) {
            throw ValidationError("\(key.rawValue): \(problem)")
        }
    }

    func run() throws {
        let store = try global.openStore(value != nil ? .create : unset ? .write : .read)
        if let key, unset {
            try store.setSetting(key, nil)
            print("\(key.rawValue) unset")
        } else if let key, let value {
            try store.setSetting(key, value)
            print("\(key.rawValue) = \(try store.setting(key) ?? value)")
        } else if let key {
            guard let value = try store.setting(key) else {
                throw CLIError(message: "\(key.rawValue) is not set; set it with `pmcms config \(key.rawValue) VALUE`")
            }
            print(output.json ? try JSONOutput.string(value, pretty: false) : value)
        } else {
            let settings = try store.settings()
            if output.json {
                var object: [String: String?] = [:]
                for key in SettingKey.allCases { object[key.rawValue] = settings[key] }
                print(try JSONOutput.string(object, pretty: true))
                return
            }
            for key in SettingKey.allCases {
                let shown = settings[key] ?? Terminal.styled("(unset)", .dim)
                print("\(key.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(shown)  \(Terminal.styled("# " + key.help, .dim))")
            }
        }
    }
}
