public import Foundation
import PMCMS

/// Where a PostgreSQL store is: read from `postgres://USER@HOST[:PORT]/DB[?host=/socket/dir]`.
///
/// The password is never part of the address (a command line is visible to every user of the
/// machine): it comes from `PGPASSWORD`, else from the password file (`PGPASSFILE`, else
/// `~/.pgpass`), the way libpq finds it.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// The role to log in as.
    public var user: String
    /// The TCP host, or nil for a Unix socket.
    public var host: String?
    /// The TCP port, which also names the socket file (`.s.PGSQL.PORT`).
    public var port: Int
    /// The database's name.
    public var database: String
    /// The folder of the server's Unix socket, or nil for TCP.
    public var socketDirectory: String?
    /// The password, when the environment or the password file gives one.
    public var password: String?

    /// The socket file's path, for a Unix-socket location.
    public var socketPath: String? {
        socketDirectory.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + ".s.PGSQL.\(port)" }
    }

    /// The address without any secret, for messages.
    public var description: String {
        if let socketDirectory { return "postgres://\(user)@/\(database)?host=\(socketDirectory)" }
        let shownHost = (host ?? "").contains(":") ? "[\(host ?? "")]" : (host ?? "")
        return "postgres://\(user)@\(shownHost):\(port)/\(database)"
    }

    /// Reads `url`; the password comes from `environment` (`PGPASSWORD`, `PGPASSFILE`, `HOME`).
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func bad(_ reason: String) -> PostgresStoreError { .badURL(url: url, reason: reason) }
        guard StoreAddress.isPostgres(url), let schemeEnd = url.range(of: "://") else {
            throw bad("it does not start with postgres://")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw bad("it names no database (…/DB)") }
        let authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...]
        guard let database = Self.decoded(path), !database.isEmpty, !database.contains("/") else {
            throw bad("it names no database (…/DB)")
        }
        guard let at = authority.lastIndex(of: "@") else { throw bad("it names no role (USER@…)") }
        let userInfo = authority[..<at]
        if userInfo.contains(":") {
            throw bad("it contains a password; put it in PGPASSWORD or ~/.pgpass instead, never on the command line")
        }
        guard let user = Self.decoded(userInfo), !user.isEmpty else { throw bad("it names no role (USER@…)") }
        var hostPart = authority[authority.index(after: at)...]
        var port = 5432
        // [IPv6]:port, host:port or host.
        var hostName: String
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw bad("an IPv6 host lacks its ]") }
            hostName = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
            hostPart = hostPart[hostPart.index(after: close)...]
            if hostPart.hasPrefix(":") { port = try Self.port(hostPart.dropFirst(), bad) } else if !hostPart.isEmpty { throw bad("unexpected '\(hostPart)' after the host") }
        } else if let colon = hostPart.firstIndex(of: ":") {
            hostName = String(hostPart[..<colon])
            port = try Self.port(hostPart[hostPart.index(after: colon)...], bad)
        } else {
            hostName = String(hostPart)
        }
        var socketDirectory: String?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            guard parts.count == 2, let value = Self.decoded(parts[1]) else { throw bad("the parameter '\(key)' has no value") }
            switch key {
            case "host":
                if value.hasPrefix("/") { socketDirectory = value } else { hostName = value }
            case "port":
                port = try Self.port(Substring(value), bad)
            case "sslmode" where value == "disable":
                break  // what every connection here is: TLS is not supported yet
            case "password":
                throw bad("it contains a password; put it in PGPASSWORD or ~/.pgpass instead, never on the command line")
            default:
                throw bad("the parameter '\(key)=\(value)' is not supported (only host, port and sslmode=disable)")
            }
        }
        // No host at all: the server's usual socket folder on Debian, as libpq does.
        if hostName.isEmpty && socketDirectory == nil { socketDirectory = "/var/run/postgresql" }
        self.user = user
        self.host = socketDirectory == nil ? hostName : nil
        self.port = port
        self.database = database
        self.socketDirectory = socketDirectory
        self.password = nil
        self.password = Self.password(for: self, environment: environment)
    }

    private static func port(_ text: Substring, _ bad: (String) -> PostgresStoreError) throws -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw bad("'\(text)' is not a port number") }
        return port
    }

    private static func decoded(_ text: Substring) -> String? {
        String(text).removingPercentEncoding
    }

    /// `PGPASSWORD`, else the first matching line of the password file, as libpq reads it:
    /// `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped. A
    /// socket connection matches the host `localhost` or its socket folder. A file that others
    /// can read is ignored, as libpq ignores it.
    static func password(for location: PostgresLocation, environment: [String: String]) -> String? {
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let file: String
        if let named = environment["PGPASSFILE"], !named.isEmpty {
            file = named
        } else if let home = environment["HOME"], !home.isEmpty {
            file = home + "/.pgpass"
        } else {
            return nil
        }
        var info = stat()
        guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o077 == 0,
              info.st_size < 1 << 20,
              let data = FileManager.default.contents(atPath: file),
              let text = String(data: data, encoding: .utf8) else { return nil }
        let hosts: [String] = location.socketDirectory.map { ["localhost", $0] } ?? [location.host ?? ""]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitPassLine(line)
            guard fields.count == 5 else { continue }
            func matches(_ field: String, _ values: [String]) -> Bool { field == "*" || values.contains(field) }
            if matches(fields[0], hosts), matches(fields[1], [String(location.port)]),
               matches(fields[2], [location.database]), matches(fields[3], [location.user]) {
                return fields[4]
            }
        }
        return nil
    }

    /// Splits a password-file line at unescaped colons, undoing `\:` and `\\`.
    private static func splitPassLine(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
