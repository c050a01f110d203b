import Foundation
package import PMCMS
import Logging
package import PostgresNIO
import Synchronization

/// One connection to a PostgreSQL store, used synchronously: every call waits for its result
/// through `Blocking.run`, so call it from the CLI's main thread or from `Blocking.onOwnThread`.
public final class PostgresSession: Sendable {
    /// Where the connection goes (without its password).
    public let location: PostgresLocation
    let connection: PostgresConnection
    static let logger: Logger = {
        var logger = Logger(label: "pmcms.postgres")
        // postgres-nio logs its protocol at debug and trace; a command prints only its result.
        logger.logLevel = .critical
        return logger
    }()

    /// How long connecting may take before it is reported as a failure.
    static let connectTimeout: TimeAmount = .seconds(10)

    /// Connects to `location`, or throws `cannotConnect` / `authenticationFailed`.
    public init(_ location: PostgresLocation) throws {
        self.location = location
        var configuration: PostgresConnection.Configuration
        if let socket = location.socketPath {
            configuration = .init(unixSocketPath: socket, username: location.user, password: location.password, database: location.database)
        } else {
            configuration = .init(host: location.host ?? "localhost", port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: .disable)
        }
        configuration.options.connectTimeout = Self.connectTimeout
        let config = configuration
        do {
            connection = try Blocking.run {
                try await PostgresConnection.connect(configuration: config, id: 1, logger: Self.logger)
            }
        } catch let error as PSQLError {
            throw Self.translate(error, location: location, connecting: true)
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw PostgresStoreError.cannotConnect(location: location.description, reason: "\(error)")
        }
    }

    /// Opens `url`, reading the password from the environment.
    public convenience init(url: String) throws {
        try self.init(PostgresLocation(url: url))
    }

    /// Whether the connection is gone: closed here, or by the server (which ended it, or
    /// stopped). A statement sent on it would wait for ever.
    public var isGone: Bool { connection.isClosed }

    /// Whether `close()` ran: postgres-nio wants every connection closed before it goes away.
    private let closed = Mutex(false)

    deinit {
        // The last owner forgot `close()` (or threw past it): close and wait, as postgres-nio
        // requires. `Blocking.run` refuses an event loop thread rather than deadlock there.
        if !closed.withLock({ $0 }) {
            let connection = self.connection
            _ = try? Blocking.run { try await connection.close() }
        }
    }

    /// Closes the connection and waits until it is closed.
    public func close() throws {
        guard !closed.withLock({ value in defer { value = true }; return value }) else { return }
        let connection = self.connection
        _ = try? Blocking.run { try await connection.close() }
    }

    /// Runs a statement with bound parameters and returns every row it gives.
    @discardableResult
    package func query(_ sql: String, _ binds: [Cell] = []) throws -> [PostgresRow] {
        try Self.run(connection, location, sql, binds)
    }

    /// Runs a statement whose parameters are the core's values (`SQLQuery`'s) and returns every row.
    package func query(_ sql: String, values: [SQLValue]) throws -> [PostgresRow] {
        let connection = self.connection
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        do {
            return try Self.rows(connection, PostgresQuery(unsafeSQL: sql, binds: bindings))
        } catch let error as PSQLError {
            throw Self.translate(error, location: location, connecting: false)
        }
    }

    /// Runs `query` and waits on this thread for its rows, through postgres-nio's future: a round
    /// trip then wakes only the event loop and this thread. Waiting for an async call (`Blocking`)
    /// also wakes a thread of Swift's task pool twice, which on two busy cores made each of an
    /// import's 25 or so statements a page several times slower than the server's work.
    static func rows(_ connection: PostgresConnection, _ query: PostgresQuery) throws -> [PostgresRow] {
        // Waiting on an event loop thread would deadlock: refused, as `Blocking.run` does.
        if MultiThreadedEventLoopGroup.currentEventLoop != nil { throw PostgresStoreError.blockingOnEventLoop }
        return try connection.query(query, logger: logger).wait().rows
    }

    /// Sends a statement without waiting for it: its rows are collected meanwhile, and `wait()`
    /// hands them over (or throws its error). Lets the server work on the next batch of a
    /// cursor while this thread handles the one before. Statements on one connection run in
    /// the order they are sent, so others may be sent before the result is waited for.
    package func start(_ sql: String) -> PendingRows {
        PendingRows(location: location, result: connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger))
    }

    /// Runs several statements in one round trip from this thread (each with its parameters).
    public func queries(_ statements: [(String, [Cell])]) throws {
        let connection = self.connection, location = self.location
        do {
            try Blocking.run {
                for (sql, binds) in statements {
                    try await connection.query(Self.makeQuery(sql, binds), logger: Self.logger)
                }
            }
        } catch let error as PSQLError {
            throw Self.translate(error, location: location, connecting: false)
        }
    }

    /// Runs SQL text that holds several statements and no parameters (a migration file).
    func script(_ sql: String) throws {
        _ = try Self.run(connection, location, sql, [], simple: true)
    }

    private static func run(_ connection: PostgresConnection, _ location: PostgresLocation, _ sql: String, _ binds: [Cell],
                            simple: Bool = false) throws -> [PostgresRow] {
        do {
            if simple {
                // postgres-nio sends every query as one prepared statement: a script is sent
                // statement by statement.
                let statements = SQLScript.statements(sql)
                try Blocking.run {
                    for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                }
                return []
            }
            return try rows(connection, makeQuery(sql, binds))
        } catch let error as PSQLError {
            throw translate(error, location: location, connecting: false)
        }
    }

    static func makeQuery(_ sql: String, _ binds: [Cell]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    /// postgres-nio's errors as the store's: a refused login, a server that is not there, or a
    /// statement the server refused with its SQLSTATE and message.
    static func translate(_ error: PSQLError, location: PostgresLocation, connecting: Bool) -> PostgresStoreError {
        let sqlState = error.serverInfo?[.sqlState]
        let message = error.serverInfo?[.message]
        // 28P01 invalid_password, 28000 invalid_authorization_specification.
        if let sqlState, sqlState.hasPrefix("28") {
            return .authenticationFailed(location: location.description, user: location.user, reason: message ?? "refused")
        }
        switch error.code {
        case .authMechanismRequiresPassword:
            return .authenticationFailed(location: location.description, user: location.user, reason: "the server asks for a password and none was found")
        case .unsupportedAuthMechanism, .saslError:
            return .authenticationFailed(location: location.description, user: location.user, reason: "the server's authentication method is not supported (\(error.code))")
        case .server:
            // 3D000 invalid_catalog_name: the database does not exist.
            if sqlState == "3D000" {
                return .cannotConnect(location: location.description, reason: "\(message ?? "no such database"); create it with `createdb`")
            }
            return .server(location: location.description, sqlState: sqlState ?? "?", message: message ?? "\(error)")
        default:
            let reason = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return .cannotConnect(location: location.description, reason: connecting ? reason : "the connection broke (\(reason))")
        }
    }
}

/// The rows of a statement sent by `PostgresSession.start`, collected in the background.
package struct PendingRows: Sendable {
    let location: PostgresLocation
    let result: EventLoopFuture<PostgresQueryResult>

    /// Waits for the statement's rows, or throws its error as the store's.
    package func wait() throws -> [PostgresRow] {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil { throw PostgresStoreError.blockingOnEventLoop }
        do {
            return try result.wait().rows
        } catch let error as PSQLError {
            throw PostgresSession.translate(error, location: location, connecting: false)
        }
    }
}
