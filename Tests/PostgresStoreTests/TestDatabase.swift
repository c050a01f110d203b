import Foundation
import PostgresStore
import Testing

/// A new, empty database on the test server for one test, dropped at the end.
///
/// The server is named by `PMCMS_TEST_POSTGRES` (`.ci/run` and `Tests/Support/pg-cluster.sh`
/// start one). Without it the tests that need one are skipped, unless
/// `PMCMS_REQUIRE_POSTGRES=1` (`.ci/run` sets it), where a missing server is a failure.
struct TestDatabase {
    static let serverURL = ProcessInfo.processInfo.environment["PMCMS_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static let required = ProcessInfo.processInfo.environment["PMCMS_REQUIRE_POSTGRES"] == "1"
    /// For `.enabled(if:)`: run when there is a server, or when one is required (then fail).
    static let available = serverURL != nil || required
    static let skipReason: Comment = "no PostgreSQL server: set PMCMS_TEST_POSTGRES (Tests/Support/pg-cluster.sh start DIR), or PMCMS_REQUIRE_POSTGRES=1 to fail instead"

    /// The new database's address.
    let url: String
    let name: String
    private let admin: PostgresLocation

    /// Runs `body` with a new database and drops it afterwards, even when `body` throws;
    /// records an issue when there is no server. Every PostgreSQL call of a test goes through
    /// `pg` (`Blocking.onOwnThread`): none may wait on a thread of Swift's cooperative pool.
    /// Expectations stay in the test's task, where Swift Testing attributes them to the test.
    /// `options` are added to `CREATE DATABASE` (a test's own constant, e.g. a locale).
    static func with(options: String = "", _ body: (TestDatabase) async throws -> Void) async throws {
        guard let serverURL else {
            Issue.record("PMCMS_REQUIRE_POSTGRES=1 but PMCMS_TEST_POSTGRES is not set: no PostgreSQL server to test on")
            return
        }
        let database = try await Blocking.onOwnThread { try make(serverURL, options: options) }
        let outcome = await Result(catching: { try await body(database) })
        try await Blocking.onOwnThread { database.drop() }
        try outcome.get()
    }

    private static func make(_ serverURL: String, options: String) throws -> TestDatabase {
        let admin = try PostgresLocation(url: serverURL)
        // The name is made here, never input; identifiers cannot be bound parameters.
        let name = "pmcms_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let session = try PostgresSession(admin)
        defer { try? session.close() }
        try session.query("CREATE DATABASE \(name) \(options)")
        var location = admin
        location.database = name
        return TestDatabase(url: location.description, name: name, admin: admin)
    }

    /// A connection to the test's database.
    func connect() throws -> PostgresSession {
        try PostgresSession(PostgresLocation(url: url))
    }

    func drop() {
        guard let session = try? PostgresSession(admin) else { return }
        _ = try? session.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try? session.close()
    }
}

extension Result where Failure == any Error {
    /// The outcome of async work, kept to be rethrown after clean-up that must run anyway.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// Runs blocking PostgreSQL work on a thread of its own and returns its result.
func pg<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await Blocking.onOwnThread(body)
}

/// Closes `session` from a thread of its own, for a `defer` in an async test: the defer runs on
/// a thread of Swift's cooperative pool, and waiting there for the close starves the pool (two
/// tests closing at once on a two-core machine were seen to hang, each holding one of its two
/// threads while the close needed one).
func closeOffThePool(_ session: PostgresSession) {
    Thread { try? session.close() }.start()
}
