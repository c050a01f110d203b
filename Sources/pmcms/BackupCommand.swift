import ArgumentParser
import PMCMS
#if PostgreSQL
import PostgresStore
#endif

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the store to a new file.",
        discussion: """
            Copies the store with SQLite's VACUUM INTO: a consistent snapshot even while other \
            pmcms processes write. The copy is verified after it is written. The destination \
            must be a new file in an existing folder (not the store, nor standard output); a \
            failed backup leaves no file behind. A PostgreSQL store is backed up with pg_dump: \
            given one, backup prints the pg_dump command to run, and exits 2.

            Example:
              pmcms backup backups/site-2026-11-29.sqlite
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The new file to write.") var path: String

    func validate() throws {
        if path == "-" {
            throw ValidationError("a backup is an SQLite file and cannot go to standard output: give a file name, e.g. `pmcms backup site-backup.sqlite`")
        }
        if path.isEmpty || path.hasSuffix("/") { throw ValidationError("give the backup a file name, e.g. backups/site.sqlite") }
    }

    func run() throws {
        if StoreAddress.isPostgres(global.storePath) { throw postgresAdvice() }
        let report: VerifyReport
        do {
            report = try global.openStore(.read).backup(to: path)
        } catch let error as OutputError {
            throw CLIError(message: ErrorText.message(error))
        }
        guard report.ok else {
            report.problems.forEach { print($0) }
            throw CLIError(message: "the backup at \(path) does not verify: \(report.problems.count) problem(s)")
        }
        print("backed up \(report.entries) entries, \(report.revisions) revisions to \(path) (verified)")
    }

    /// The refusal for a PostgreSQL store, with the pg_dump command that backs it up.
    private func postgresAdvice() -> CLIError {
        #if PostgreSQL
        do {
            let location = try PostgresLocation(url: global.storePath)
            return .usage("""
                `pmcms backup` writes a SQLite file; back up a PostgreSQL store with pg_dump (a consistent \
                snapshot while pmcms writes; restore it with pg_restore, or copy the store to SQLite with \
                `pmcms store copy`):
                  \(PgDump.shellLine(PgDump.arguments(location, file: path)))
                """)
        } catch {
            return .usage("\(error)")
        }
        #else
        return .usage(PostgresCLI.notBuiltIn)
        #endif
    }
}
