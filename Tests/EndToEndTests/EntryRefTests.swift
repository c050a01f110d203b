import Foundation
import Testing

/// Every command that takes a REF takes it through one argument type (`EntryRef` in the CLI),
/// so an empty reference gets the same refusal from all of them. The commands are found from
/// the binary's own help, so a new REF-taking command is checked without being listed here.
@Suite("Entry references")
struct EntryRefTests {
    /// The commands whose arguments include a `<ref>`, from `pmcms --help` and each command's help,
    /// with that help.
    static func refCommands(_ pm: PMCMSRun) throws -> [(name: String, help: String)] {
        let help = try pm.run(["--help"])
        #expect(help.status == 0)
        // The SUBCOMMANDS section: "  name    abstract" lines, each name a word of its own.
        let names = help.stdout.split(separator: "\n").drop { !$0.hasPrefix("SUBCOMMANDS") }.dropFirst()
            .compactMap { line -> String? in
                guard line.hasPrefix("  "), let word = line.split(separator: " ").first else { return nil }
                return word.allSatisfy { $0.isLetter || $0 == "-" } ? String(word) : nil
            }
        return try names.map { ($0, try pm.run([$0, "--help"]).stdout) }.filter { command in
            // The ARGUMENTS section lists each positional as "  <name>  help".
            command.help.split(separator: "\n").contains { $0.hasPrefix("  <ref>") }
        }
    }

    @Test("an empty or blank REF is one usage error, the same for every command that takes a REF")
    func emptyRefRefusedEverywhere() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["init"]).status == 0)
        let commands = try Self.refCommands(pm)
        // The help was read right: every command known to take a REF was found.
        let known: Set = [
            "show", "edit", "history", "diff", "blame", "schedule", "revert",
            "submit", "approve", "reject", "publish", "unpublish", "archive", "restore",
        ]
        #expect(known.isSubset(of: Set(commands.map(\.name))), "found: \(commands.map(\.name))")
        // What each command needs besides its REF to get as far as checking it.
        let rest: [String: [String]] = ["revert": ["1"], "reject": ["-m", "why"], "schedule": ["--cancel"]]
        for (command, help) in commands {
            for ref in ["", "  "] {
                let result = try pm.run([command, ref] + (rest[command] ?? []))
                #expect(result.status == 2, "\(command) '\(ref)': exit \(result.status), \(result.stderr)")
                #expect(
                    result.stderr.hasPrefix("pmcms: error: REF is empty: give an entry's id or slug\n"),
                    "\(command) '\(ref)': \(result.stderr)")
                #expect(result.stdout.isEmpty, "\(command) '\(ref)': \(result.stdout)")
            }
            guard help.contains("--json") else { continue }
            let json = try pm.run([command, "", "--json"] + (rest[command] ?? []))
            #expect(json.status == 2, "\(command) --json: exit \(json.status)")
            #expect(json.stderr == #"{"error":"REF is empty: give an entry's id or slug","exit_code":2}"# + "\n", "\(command) --json: \(json.stderr)")
        }
    }
}
