import Foundation
import PostgresStore
import Testing

@Suite("PostgreSQL addresses and passwords")
struct PostgresLocationTests {
    @Test("A TCP address: role, host, port, database")
    func tcp() throws {
        let location = try PostgresLocation(url: "postgres://editor@db.internal:6543/site", environment: [:])
        #expect(location.user == "editor")
        #expect(location.host == "db.internal")
        #expect(location.port == 6543)
        #expect(location.database == "site")
        #expect(location.socketDirectory == nil)
        #expect(location.password == nil)
    }

    @Test("A Unix socket: ?host=/folder, and the socket file it names")
    func socket() throws {
        let location = try PostgresLocation(url: "postgresql://pmcms@/store?host=/tmp/pg%20dir/socket", environment: [:])
        #expect(location.host == nil)
        #expect(location.socketDirectory == "/tmp/pg dir/socket")
        #expect(location.socketPath == "/tmp/pg dir/socket/.s.PGSQL.5432")
        #expect(location.database == "store")
    }

    @Test("Addresses that are refused, each with the reason", arguments: [
        ("postgres://u:secret@host/db", "password"),
        ("postgres://u@host:99999/db", "port"),
        ("postgres://u@host", "database"),
        ("postgres://host/db", "role"),
        ("postgres://u@host/db?password=x", "password"),
        ("postgres://u@host/db?sslmode=require", "not supported"),
    ])
    func refused(url: String, reason: String) throws {
        let error = #expect(throws: PostgresStoreError.self) { try PostgresLocation(url: url, environment: [:]) }
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
        #expect(error?.isUsageError == true)
    }

    @Test("PGPASSWORD comes first, then the password file's first matching line; a readable file is ignored")
    func passwords() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pgpass").path
        try """
            # comment
            other:5432:site:editor:wrong
            db.internal:5432:*:editor:s3cr\\:et
            localhost:*:*:*:local
            """.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let url = "postgres://editor@db.internal/site"
        #expect(try PostgresLocation(url: url, environment: ["PGPASSFILE": file]).password == "s3cr:et")
        #expect(try PostgresLocation(url: url, environment: ["PGPASSFILE": file, "PGPASSWORD": "env"]).password == "env")
        #expect(try PostgresLocation(url: "postgres://x@/site?host=/run/pg", environment: ["PGPASSFILE": file]).password == "local")
        chmod(file, 0o644)
        #expect(try PostgresLocation(url: url, environment: ["PGPASSFILE": file]).password == nil)
    }

    @Test("No server at the address: a typed error that says so")
    func cannotConnect() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-nopg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try PostgresLocation(url: "postgres://pmcms@/db?host=\(folder.path)", environment: [:])
        let outcome = await Result(catching: { try await Blocking.onOwnThread { _ = try PostgresSession(location) } })
        guard case .failure(let error) = outcome, case .cannotConnect = error as? PostgresStoreError else {
            Issue.record("expected cannotConnect, got \(outcome)")
            return
        }
    }
}
