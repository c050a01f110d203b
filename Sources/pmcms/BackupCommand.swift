import ArgumentParser
import PMCMS

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the store to a new file.",
        discussion: """
            Copies the store with SQLite's VACUUM INTO: a consistent snapshot even while other \
            pmcms processes write. The copy is verified after it is written. The destination \
            must not exist.

            Example:
              pmcms backup backups/site-2026-11-29.sqlite
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The new file to write.") var path: String

    func run() throws {
        let report = try global.openStore().backup(to: path)
        guard report.ok else {
            report.problems.forEach { print($0) }
            throw CLIError(message: "the backup at \(path) does not verify: \(report.problems.count) problem(s)")
        }
        print("backed up \(report.entries) entries, \(report.revisions) revisions to \(path) (verified)")
    }
}
