import ArgumentParser
import Foundation
import PMCMS
#if PostgreSQL
import PostgresStore
#endif

/// Options every command takes: which store, and who is making the change.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file (default: $PMCMS_DB, else ./pmcms.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Who makes the change (default: $PMCMS_AUTHOR, else your login name).", valueName: "name"))
    var author: String?

    /// The store path: `--db`, else `$PMCMS_DB`, else `./pmcms.sqlite`.
    var storePath: String { Self.storePath(db: db) }

    /// The store path rule, `db`, else `$PMCMS_DB`, else `./pmcms.sqlite`.
    static func storePath(db: String?) -> String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessEnvironment.value("PMCMS_DB"), !env.isEmpty { return env }
        return "pmcms.sqlite"
    }

    /// The author of changes: `--author`, else `$PMCMS_AUTHOR`, else the login name.
    var authorName: String {
        if let author, !author.isEmpty { return author }
        if let name = ProcessEnvironment.value("PMCMS_AUTHOR"), !name.isEmpty { return name }
        if let login = getlogin().map({ String(cString: $0) }), !login.isEmpty { return login }
        if let user = ProcessEnvironment.value("USER") ?? ProcessEnvironment.value("LOGNAME"), !user.isEmpty { return user }
        // No controlling terminal (cron, tmux without a login): the account name.
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }

    /// `pmcms --db PATH list` is how git-like tools are used, but the argument parser reads a
    /// subcommand's options after its name only: move leading global options behind it.
    static func hoisted(_ arguments: [String]) -> [String] {
        let groups: Set<String> = ["user"]
        let valued: Set<String> = ["--db", "--author"]
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if valued.contains(argument), index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else if valued.contains(where: { argument.hasPrefix($0 + "=") }) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count else { return arguments }
        // A command group (`user add`) reads them after its subcommand's name.
        var command = [arguments[index]]
        if groups.contains(arguments[index]), index + 1 < arguments.count, !arguments[index + 1].hasPrefix("-") {
            index += 1
            command.append(arguments[index])
        }
        return command + leading + arguments[(index + 1)...]
    }

    /// Opens the store for what the command does: read commands pass `.read` (they never
    /// create or change a file), and only commands that add content may `.create` a store.
    /// `readPool` is for a server (`serve`): on SQLite, pages read through a pool of read-only
    /// connections beside the one writer; a PostgreSQL store reads on its own connection.
    func openStore(_ access: StoreAccess, readPool: Bool = false) throws -> ContentStore {
        try Self.openStore(storePath, access, readPool: readPool)
    }

    /// Opens the store at `path`, a SQLite file or (built with the PostgreSQL trait) a
    /// postgres:// database: the one place the command line picks a backend.
    static func openStore(_ path: String, _ access: StoreAccess, readPool: Bool = false) throws -> ContentStore {
        guard StoreAddress.isPostgres(path) else { return try ContentStore(path: path, access: access, readPool: readPool) }
        #if PostgreSQL
        return try PostgresCLI.translating { try PostgresContentStore.open(url: path, access: access) }
        #else
        throw CLIError(message: PostgresCLI.notBuiltIn, code: 2)
        #endif
    }
}

/// `--json` for read commands.
struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false
}
