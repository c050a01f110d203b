import Foundation
import PostgresStore
import Testing
import TestSupport

/// `pmcms backup` on a PostgreSQL store (issue 19, item 4): it writes no file, exits 2, and
/// prints the pg_dump command that backs the store up, one a shell runs as printed.
@Suite("pmcms backup on a postgres:// store prints the pg_dump command")
struct BackupAdviceTests {
    typealias Folder = StoreCopyTests.Folder

    /// The printed command: the line of standard error that starts with pg_dump.
    static func command(_ stderr: String) -> String? {
        stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("pg_dump ") }
    }

    @Test("Exit 2, no file written, and the command names the socket, port, role and database, quoted for a shell")
    func advice() throws {
        let folder = try Folder()
        defer { folder.remove() }
        let url = "postgres://pmcms@/site%20o'brien?host=\(folder.directory.path)/sock%20dir"
        let result = try folder.run(["--db", url, "backup", "site backup.dump"])
        #expect(result.status == 2, "\(result.stderrText)")
        #expect(result.stderrText.contains("back up a PostgreSQL store with pg_dump"), "\(result.stderrText)")
        #expect(Self.command(result.stderrText) == """
            pg_dump --format=custom '--file=site backup.dump' '--host=\(folder.directory.path)/sock dir' --port=5432 --username=pmcms '--dbname=site o'\\''brien'
            """, "\(result.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.directory.path).isEmpty)
        // From the environment too, over TCP.
        let tcp = try folder.run(["backup", "b.dump"], env: ["PMCMS_DB": "postgres://app@db.internal:6432/pmcms"])
        #expect(tcp.status == 2)
        #expect(Self.command(tcp.stderrText) == "pg_dump --format=custom --file=b.dump --host=db.internal --port=6432 --username=app --dbname=pmcms",
                "\(tcp.stderrText)")
        // A bad address is said as such.
        let bad = try folder.run(["--db", "postgres://pmcms:secret@localhost/x", "backup", "b.dump"])
        #expect(bad.status == 2)
        #expect(bad.stderrText.contains("PGPASSWORD"), "\(bad.stderrText)")
    }

    @Test("A database name pg_dump would read as connection parameters is passed as one, quoted")
    func oddDatabaseName() throws {
        let location = try PostgresLocation(url: "postgres://pmcms@localhost/a=b'c")
        #expect(PgDump.arguments(location, file: "x.dump").last == #"--dbname=dbname='a=b\'c'"#)
    }

    @Test("The printed command, run by a shell, dumps the store: pg_restore finds its revisions",
          .enabled(if: TestDatabase.available, TestDatabase.skipReason), .timeLimit(.minutes(5)))
    func commandWorks() async throws {
        try await TestDatabase.with { database in
            let folder = try Folder()
            defer { folder.remove() }
            try StoreCopyTests.richStore(folder)
            try folder.must(["store", "copy", "pmcms.sqlite", database.url])
            let result = try folder.run(["--db", database.url, "backup", "site.dump"])
            #expect(result.status == 2)
            let command = try #require(Self.command(result.stderrText), "\(result.stderrText)")
            let dump = try Subprocess.run(path: "/bin/sh", ["-c", command], environment: folder.environment, currentDirectory: folder.directory)
            #expect(dump.status == 0, "\(command): \(dump.stderrText)")
            let restored = try Subprocess.run(path: "/bin/sh", ["-c", "pg_restore --data-only --table=revision --file=- site.dump"],
                                              environment: folder.environment, currentDirectory: folder.directory)
            #expect(restored.status == 0, "\(restored.stderrText)")
            #expect(restored.stdoutText.contains("COPY public.revision"), "\(restored.stdoutText.prefix(500))")
            #expect(restored.stdoutText.contains("«ünïcødé»"), "the edited body is in the dump")
        }
    }
}
