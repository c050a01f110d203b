import ArgumentParser
import PMCMS

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the store's integrity and its invariants.",
        discussion: """
            Runs SQLite's integrity check and checks what pmcms guarantees: every entry has \
            revisions numbered 1…N, every revision's hash matches its snapshot, head and live \
            point at real revisions (live at a published one), and the link table and search \
            index follow each entry's head. Exits 1 and lists what is wrong on any violation.

            Examples:
              pmcms verify
              pmcms --db backup.sqlite verify --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: JSONFlag

    func run() throws {
        let report = try global.openStore(.read).verify()
        if output.json {
            print(try JSONOutput.string(report, pretty: true))
        } else if report.ok {
            print("ok: \(report.entries) entries, \(report.revisions) revisions verified")
        } else {
            report.problems.forEach { print($0) }
            print("\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") in \(global.storePath)")
        }
        if !report.ok { throw ExitCode(1) }
    }
}
