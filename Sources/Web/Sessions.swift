import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import NIOCore
import NIOPosix
public import PMCMS  // BcryptHasher is the store's PasswordHasher
import Synchronization

/// bcrypt from hummingbird-auth, as the store's password hasher. The CLI's `user` commands and
/// the desk's login use the same one; the core only stores and compares what it returns.
public struct BcryptHasher: PasswordHasher {
    /// log2 of bcrypt's rounds: 12 costs about a quarter of a second here, which is the point.
    public var cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}

/// What a session remembers: who logged in, and the anti-forgery token its forms carry.
struct DeskSession: Codable, Sendable {
    /// The account, or nil for the person who opened the one-time login link of a desk without
    /// accounts (the one who started `serve`).
    var account: String?
    /// Every form of this session carries it; a post without it did not come from its pages.
    var csrf: String
}

/// The person behind a request, as the gate found them: who signs the revisions, what they may
/// do, and their session's form token.
struct Viewer: Sendable {
    var name: String
    var role: Role
    var csrf: String
    /// Logged in with an account (not with the one-time link).
    var hasAccount: Bool

    func may(_ permission: Permission) -> Bool { role.may(permission) }
}

/// The desk's request context: Hummingbird's core storage, the session (hummingbird-auth's
/// `SessionMiddleware` fills it), the client's address, and the viewer the gate found.
struct DeskContext: SessionRequestContext, RequestContext {
    var coreContext: CoreRequestContextStorage
    let sessions: SessionContext<DeskSession>
    let remoteAddress: SocketAddress?
    var viewer: Viewer?
    /// The store's version the gate read before anything of this request: what kept pages are
    /// checked against.
    var version: StoreVersion?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        remoteAddress = source.channel.remoteAddress
        viewer = nil
        version = nil
    }

    /// The viewer; the gate lets no request without one reach a page.
    func requireViewer() throws -> Viewer {
        guard let viewer else { throw HTTPError(.unauthorized) }
        return viewer
    }
}

/// Failed logins, counted per account and per client over a sliding window. Past the limit a
/// login is refused without its password being looked at, even when it is right, until the
/// window has passed over the failures. Kept in memory: a restart forgets them.
final class LoginThrottle: Sendable {
    /// How many failures, and over how long, before logins are refused.
    struct Limits: Sendable {
        var perAccount: Int
        var perClient: Int
        var window: Double

        /// Five tries per account and twenty per address in a quarter of an hour.
        static let standard = Limits(perAccount: 5, perClient: 20, window: 15 * 60)
    }

    let limits: Limits
    /// Seconds on a monotonic clock; tests pass their own to move time on.
    let now: @Sendable () -> Double
    private let failures = Mutex<[String: [Double]]>([:])
    /// Keys kept at most, so that a flood of made-up names cannot fill the memory.
    static let maxKeys = 10_000

    init(limits: Limits = .standard, now: @escaping @Sendable () -> Double = { LoginThrottle.monotonicSeconds() }) {
        self.limits = limits
        self.now = now
    }

    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private static func keys(account: String, client: String) -> (String, String) {
        ("account:" + account.lowercased(), "client:" + client)
    }

    /// Seconds until a login for `account` from `client` is allowed again, or nil when it is.
    func wait(account: String, client: String) -> Double? {
        let (accountKey, clientKey) = Self.keys(account: account, client: client)
        let time = now()
        return failures.withLock { table in
            var longest: Double?
            for (key, limit) in [(accountKey, limits.perAccount), (clientKey, limits.perClient)] {
                let recent = (table[key] ?? []).filter { time - $0 < limits.window }
                table[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let oldest = recent.suffix(limit).first {
                    longest = max(longest ?? 0, limits.window - (time - oldest))
                }
            }
            return longest
        }
    }

    /// Counts a failed login.
    func failed(account: String, client: String) {
        let (accountKey, clientKey) = Self.keys(account: account, client: client)
        let time = now()
        failures.withLock { table in
            if table.count >= Self.maxKeys {
                table = table.filter { _, times in times.contains { time - $0 < limits.window } }
                if table.count >= Self.maxKeys { table.removeAll() }
            }
            table[accountKey, default: []].append(time)
            table[clientKey, default: []].append(time)
        }
    }

    /// A login that worked clears its account's failures (its client's stay counted, so that
    /// logging in to one's own account does not buy more guesses at others).
    func succeeded(account: String) {
        let (accountKey, _) = Self.keys(account: account, client: "")
        _ = failures.withLock { $0.removeValue(forKey: accountKey) }
    }
}

/// Runs blocking work (SQLite, bcrypt) on threads of its own, so that a writer waiting for
/// another process's lock, or a password being hashed, never holds up the threads that serve
/// other pages.
enum Blocking {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
