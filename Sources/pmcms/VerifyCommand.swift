import ArgumentParser
import PMCMS
#if PostgreSQL
import PostgresStore
#endif

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the store's integrity and its invariants.",
        discussion: """
            Runs SQLite's integrity check and checks what pmcms guarantees: every entry has \
            revisions numbered 1…N, every revision's hash matches its snapshot, head and live \
            point at real revisions (live at a published one), and the link table and search \
            index follow each entry's head (and FTS5's own integrity check of the index passes), \
            and the triggers that keep revisions append-only exist. A revision's hash covers \
            every field (author, time, message, origin… as well as the snapshot); revisions \
            written before pmcms recorded that scheme are checked against their snapshot. Exits \
            1 and lists what is wrong on any violation; a store that cannot be read is reported \
            as "corrupt store: …" with what could still be checked.

            Examples:
              pmcms verify
              pmcms --db backup.sqlite verify --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: JSONFlag

    func run() throws {
        // PostgreSQL: the same invariants (issue 19); a server that cannot be reached is an
        // error, not a finding.
        #if PostgreSQL
        let report = try StoreAddress.isPostgres(global.storePath)
            ? PostgresCLI.translating { try PostgresVerify.verify(url: global.storePath) }
            : sqliteReport()
        #else
        let report = try sqliteReport()
        #endif
        if output.json {
            print(try JSONOutput.string(report, pretty: true))
        } else if report.ok {
            print("ok: \(report.entries) entries, \(report.revisions) revisions verified")
        } else {
            report.problems.forEach { print($0) }
            print("\(Plural.count(report.problems.count, "problem")) in \(global.storePath)")
        }
        if !report.ok { throw ExitCode(1) }
    }

    private func sqliteReport() throws -> VerifyReport {
        do {
            return try global.openStore(.read).verify()
        } catch let error as StoreError {
            // A missing, foreign, newer, busy or unreadable file is said as such (on standard
            // error); a store SQLite finds damaged is reported as corrupt.
            switch error {
            case .corrupt, .diskError, .noWriteAheadLog: return .corrupt(path: global.storePath, reason: ErrorText.message(error))
            default: throw error
            }
        } catch {
            return .corrupt(path: global.storePath, error)
        }
    }
}
