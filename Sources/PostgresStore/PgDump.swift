/// How a PostgreSQL store is backed up: with `pg_dump`, not `pmcms backup` (which writes a
/// SQLite file). pg_dump reads one consistent snapshot while writers go on, as `backup` does
/// on SQLite, and `pg_restore` reads its custom format back.
public enum PgDump {
    /// The `pg_dump` command line that backs up the store at `location` into `file`, in the
    /// custom format (for `pg_restore`). No password: pg_dump finds it in `PGPASSWORD` or
    /// `~/.pgpass`, where pmcms found it.
    public static func arguments(_ location: PostgresLocation, file: String) -> [String] {
        var arguments = ["pg_dump", "--format=custom", "--file=\(file)"]
        if let host = location.socketDirectory ?? location.host { arguments.append("--host=\(host)") }
        arguments += ["--port=\(location.port)", "--username=\(location.user)"]
        // pg_dump reads a database name holding "=" or starting as a URI as connection
        // parameters: such a name is given as one, quoted as libpq wants.
        let name = location.database
        if name.contains("=") || name.hasPrefix("postgres://") || name.hasPrefix("postgresql://") {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            arguments.append("--dbname=dbname='\(quoted)'")
        } else {
            arguments.append("--dbname=\(name)")
        }
        return arguments
    }

    /// `arguments` as one line for a POSIX shell: an argument with anything but letters,
    /// digits and `@%+=:,./_-` is single-quoted (a quote inside as '\'').
    public static func shellLine(_ arguments: [String]) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-")
        return arguments.map { argument in
            if !argument.isEmpty && argument.allSatisfy({ plain.contains($0) }) { return argument }
            return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
