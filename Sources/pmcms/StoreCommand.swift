import ArgumentParser
import Foundation
import PMCMS
#if PostgreSQL
import PostgresStore
#endif

/// `pmcms store`: operations on a whole store. Only a table of subcommands.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Operations on a whole store (copy between SQLite and PostgreSQL).",
        discussion: """
            A store is a SQLite file or a PostgreSQL database, postgres://USER@HOST[:PORT]/DB \
            (postgres://USER@/DB?host=/socket/dir for a Unix socket; the password from \
            PGPASSWORD or ~/.pgpass). On PostgreSQL every command runs but search, serve and \
            backup (so far).

            Examples:
              pmcms store copy pmcms.sqlite 'postgres://pmcms@db.internal/pmcms'
              pmcms --db 'postgres://pmcms@db.internal/pmcms' verify
            """,
        subcommands: [StoreCopyCommand.self])
}

/// `pmcms store copy SRC DST`: the library's `StoreCopy`, reported.
struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a store with its full history between SQLite and PostgreSQL.",
        discussion: """
            SRC and DST are each a SQLite file or postgres://USER@HOST[:PORT]/DB (for a Unix \
            socket: postgres://USER@/DB?host=/socket/dir). The password comes from PGPASSWORD \
            or ~/.pgpass, never from the command line. The source is read in one snapshot; the \
            destination is written in one transaction and must be empty (a missing SQLite file \
            becomes a new store; a PostgreSQL database must exist, `createdb DB`). Every \
            revision, pointer, link, setting, account and account event is copied as it is, \
            then the copy is read back and compared with the source; any difference is an error.

            Examples:
              pmcms store copy pmcms.sqlite 'postgres://pmcms@db.internal/pmcms'
              pmcms store copy 'postgres://pmcms@/pmcms?host=/var/run/postgresql' back.sqlite
            """)

    @Argument(help: ArgumentHelp("The store to copy from.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("The empty or new store to copy into.", valueName: "destination"))
    var destination: String

    @OptionGroup var output: JSONFlag

    func run() throws {
        #if PostgreSQL
        let report = try PostgresCLI.translating { try StoreCopy.copy(from: source, to: destination) }
        if output.json {
            print(try JSONOutput.string(report, pretty: true))
            return
        }
        let counts = report.tables.filter { $0.rows > 0 }.map { "\($0.rows) \($0.name)" }.joined(separator: ", ")
        print("copied \(report.source) to \(report.destination) and verified: \(counts.isEmpty ? "an empty store" : counts)")
        #else
        throw CLIError(message: PostgresCLI.notBuiltIn, code: 2)
        #endif
    }
}

/// What the command line does with PostgreSQL stores: built with the `PostgreSQL` trait, every
/// command takes one (`store copy` reads its own arguments; `backup` answers with the pg_dump
/// command to run instead); built without it, only `demo` and `help`, which need no store.
enum PostgresCLI {
    /// What a pmcms built without the `PostgreSQL` trait says when given a postgres:// store.
    static let notBuiltIn = "this pmcms was built without PostgreSQL support; build it with "
        + "`swift build -c release --traits PostgreSQL` (README, \"PostgreSQL (first steps)\")"

    #if !PostgreSQL
    /// Built without the PostgreSQL trait: no command takes a postgres:// store.
    static let supported: Set<String> = ["demo", "help"]

    /// Refuses, with exit 2, a command given a postgres:// store (`--db` or `$PMCMS_DB`) by a
    /// pmcms built without PostgreSQL, before it could take the address for a file name.
    static func refuseUnsupported(_ arguments: [String]) {
        // The command is the first word that is neither an option nor the value of --db or
        // --author (`pmcms --json --db URL list`).
        var position = 0
        while position < arguments.count, arguments[position].hasPrefix("-") {
            position += ["--db", "--author"].contains(arguments[position]) ? 2 : 1
        }
        guard position < arguments.count, !supported.contains(arguments[position]),
              !arguments.contains("--help"), !arguments.contains("-h") else { return }
        var db: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--db", index + 1 < arguments.count { db = arguments[index + 1] }
            if argument.hasPrefix("--db=") { db = String(argument.dropFirst(5)) }
        }
        guard StoreAddress.isPostgres(GlobalOptions.storePath(db: db)) else { return }
        fail(notBuiltIn, code: 2)
    }
    #endif

    #if PostgreSQL
    /// Runs `body`, turning the PostgreSQL store's errors into the CLI's (exit 2 for a usage
    /// error such as a bad address, else 1).
    static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresStoreError {
            throw CLIError(message: error.description, code: error.isUsageError ? 2 : 1)
        }
    }
    #endif
}
