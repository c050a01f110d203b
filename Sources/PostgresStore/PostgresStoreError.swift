public import Foundation

/// What can go wrong with a PostgreSQL store, each with a message a user can act on.
public enum PostgresStoreError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A `postgres://` address that cannot be read.
    case badURL(url: String, reason: String)
    /// No server answered, or the connection broke.
    case cannotConnect(location: String, reason: String)
    /// The server refused the role or its password.
    case authenticationFailed(location: String, user: String, reason: String)
    /// The server refused a statement (the SQLSTATE code, then the server's message).
    case server(location: String, sqlState: String, message: String)
    /// The database holds migrations this pmcms does not know: a newer pmcms made it.
    case newerStore(location: String, unknown: [String])
    /// The role may not change the schema (a least-privilege role) and a migration is due.
    case migrationNotPermitted(location: String, user: String, migration: String, reason: String)
    /// `store copy` writes only into an empty store.
    case destinationNotEmpty(destination: String, table: String, rows: Int)
    /// A store has tables this copy does not know how to carry over (a newer schema).
    case unknownTables(store: String, tables: [String])
    /// What a copy found when it compared the destination with what it read.
    case copyNotVerified(destination: String, problems: [String])
    /// `store copy` with the same store on both sides.
    case sameStore(String)
    /// A value of a type the store never writes (a float or a blob in a text column).
    case unexpectedValue(table: String, column: String)
    /// The synchronous bridge was asked to wait on a thread that must never wait.
    case blockingOnEventLoop

    public var description: String {
        switch self {
        case .badURL(let url, let reason):
            return "'\(url)' is not a PostgreSQL address: \(reason) (expected postgres://USER@HOST[:PORT]/DB, or postgres://USER@/DB?host=/socket/dir)"
        case .cannotConnect(let location, let reason):
            return "cannot connect to \(location): \(reason); is the server running, and is the host, port or socket folder right?"
        case .authenticationFailed(let location, let user, let reason):
            return "\(location) refused the role '\(user)': \(reason); set PGPASSWORD or add a line to ~/.pgpass (mode 0600), never a password in the address"
        case .server(let location, let sqlState, let message):
            return "\(location): \(message) (SQLSTATE \(sqlState))"
        case .newerStore(let location, let unknown):
            return "\(location) was made by a newer pmcms (migrations \(unknown.joined(separator: ", "))); upgrade pmcms"
        case .migrationNotPermitted(let location, let user, let migration, let reason):
            return "\(location) needs migration \(migration), which the role '\(user)' may not apply (\(reason)); run pmcms once as the database's owner, then again as '\(user)'"
        case .destinationNotEmpty(let destination, let table, let rows):
            return "\(destination) is not empty (\(rows) rows in \(table)); `store copy` writes only into a new or empty store"
        case .unknownTables(let store, let tables):
            return "\(store) has tables this pmcms cannot copy yet: \(tables.joined(separator: ", "))"
        case .copyNotVerified(let destination, let problems):
            return "the copy in \(destination) does not match its source: \(problems.joined(separator: "; "))"
        case .sameStore(let store):
            return "source and destination are the same store (\(store))"
        case .unexpectedValue(let table, let column):
            return "\(table).\(column) holds a value of a type pmcms never writes; run `pmcms verify` on the source"
        case .blockingOnEventLoop:
            return "internal error: a PostgreSQL call was made to wait on an event loop thread"
        }
    }

    public var errorDescription: String? { description }

    /// True for the errors that are the user's input rather than the store's state (exit 2).
    public var isUsageError: Bool {
        switch self {
        case .badURL, .sameStore: return true
        default: return false
        }
    }
}
