import Foundation
import Synchronization

/// What a person with an account may do on the review desk. Each role may do everything the
/// one before it may (writer < reviewer < publisher < admin).
public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
    case writer, reviewer, publisher, admin

    /// The lowest role that may do `permission`.
    public static func lowest(for permission: Permission) -> Role {
        switch permission {
        case .edit, .create, .submit, .revert: .writer
        case .approve, .reject: .reviewer
        case .publish, .unpublish, .archive, .restore: .publisher
        case .manageAccounts, .changeSettings: .admin
        }
    }

    /// Whether this role may do `permission`.
    public func may(_ permission: Permission) -> Bool { self >= Self.lowest(for: permission) }

    /// The order of the roles, each allowed what the ones before may do.
    var rank: Int {
        switch self {
        case .writer: 0
        case .reviewer: 1
        case .publisher: 2
        case .admin: 3
        }
    }

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
}

/// One thing a role may or may not do.
///
/// `revert` is a writer's: it makes a new draft revision equal to an older one, which is an
/// edit (on the desk it never publishes). `restore` (archived → draft) is a publisher's, as the
/// undoing of `archive`.
public enum Permission: String, Sendable, CaseIterable {
    case create, edit, submit, revert, approve, reject, publish, unpublish, archive, restore
    case manageAccounts = "manage accounts", changeSettings = "change settings"

    /// The permission a workflow step needs.
    public init(_ action: WorkflowAction) {
        switch action {
        case .submit: self = .submit
        case .approve: self = .approve
        case .reject: self = .reject
        case .publish: self = .publish
        case .unpublish: self = .unpublish
        case .archive: self = .archive
        case .restore: self = .restore
        }
    }
}

/// An account of the review desk, as listed (the password hash is never shown).
public struct Account: Sendable, Equatable, Codable {
    public var name: String
    public var role: Role
    public var createdAt: String
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case name, role
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// Turns passwords into hashes and checks them. The store keeps only what `hash` returns; the
/// hashing itself comes from a kept library (bcrypt from hummingbird-auth, in the `Web` module),
/// injected by the faces, so that the core stays free of the web stack.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> String
    func verify(_ password: String, hash: String) -> Bool
}

/// The rules account names and passwords follow.
public enum AccountRules {
    /// bcrypt reads at most 72 bytes of a password; a longer one is refused rather than cut.
    public static let maxPasswordBytes = 72
    public static let minPasswordCharacters = 8

    /// Why `name` cannot be an account name, or nil. Names are signed on revisions, so they are
    /// one plain word: letters, digits, `.`, `_`, `-`, at most 64 characters.
    public static func nameProblem(_ name: String) -> String? {
        guard !name.isEmpty else { return "an account needs a name" }
        guard name.count <= 64 else { return "'\(name.prefix(20))…' is longer than 64 characters" }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
        guard allowed, name.first.map({ $0.isLetter || $0.isNumber }) == true else {
            return "'\(TextCheck.printable(name))' is not an account name (letters, digits, '.', '_' and '-', starting with a letter or digit)"
        }
        return nil
    }

    /// Why `password` cannot be used, or nil.
    public static func passwordProblem(_ password: String) -> String? {
        if password.count < minPasswordCharacters { return "a password needs at least \(minPasswordCharacters) characters" }
        if password.utf8.count > maxPasswordBytes { return "a password can be at most \(maxPasswordBytes) bytes long (bcrypt reads no more)" }
        if password.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "a password cannot hold control characters (a NUL, a newline, a tab)"
        }
        return nil
    }
}

extension TextCheck {
    /// `text` with control characters written as escapes, for an error message.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> String in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? "\\x" + String(format: "%02X", scalar.value) : String(scalar)
        }.joined())
    }
}

extension ContentStore {
    /// Every account, by name.
    public func accounts() throws -> [Account] {
        try read { db in
            let byName: SQLQuery = .either(sqlite: "name COLLATE NOCASE", postgres: "lower(name COLLATE \"C\")")
            return try db.fetchAll("SELECT name, role, created_at, updated_at FROM account ORDER BY \(literal: byName)")
                .map(Self.decodeAccount)
        }
    }

    /// Whether any account exists: then the desk is entered by account, never by a token link.
    public func hasAccounts() throws -> Bool {
        try read { db in try db.fetchOne("SELECT 1 FROM account LIMIT 1") != nil }
    }

    /// The account called `name` (any letter case), or nil.
    public func account(named name: String) throws -> Account? {
        try read { db in
            try db.fetchOne("SELECT name, role, created_at, updated_at FROM account WHERE \(literal: Self.accountNamed(name))")
                .map(Self.decodeAccount)
        }
    }

    /// The account called `name` when `password` is its password, else nil. The hash is
    /// checked even when there is no such account (against a hash of nothing), so that the time
    /// taken does not tell which names exist.
    public func authenticate(_ name: String, password: String, hasher: some PasswordHasher) throws -> Account? {
        let found = try read { db -> (Account, String)? in
            try db.fetchOne("""
                SELECT name, role, created_at, updated_at, password_hash FROM account WHERE \(literal: Self.accountNamed(name))
                """).map { row in (try Self.decodeAccount(row), try row["password_hash"]) }
        }
        guard let (account, hash) = found else {
            _ = hasher.verify(password, hash: Self.decoyHash(hasher))
            return nil
        }
        guard hasher.verify(password, hash: hash) else { return nil }
        return account
    }

    /// Adds an account, recorded in the account log as done `by` someone, in one transaction.
    @discardableResult
    public func addAccount(_ name: String, role: Role, password: String, by author: String, hasher: some PasswordHasher) throws -> Account {
        if let problem = AccountRules.nameProblem(name) { throw StoreError.invalidField(name: "account name", reason: problem) }
        if let problem = AccountRules.passwordProblem(password) { throw StoreError.invalidField(name: "password", reason: problem) }
        let hash = hasher.hash(password)
        return try write { db in
            if let existing: String = try db.fetchValue("SELECT name FROM account WHERE \(literal: Self.accountNamed(name))") {
                throw StoreError.accountExists(name: existing)
            }
            let now = Timestamp.now()
            try db.execute("""
                INSERT INTO account (name, role, password_hash, created_at, updated_at)
                VALUES (\(name), \(role.rawValue), \(hash), \(now), \(now))
                """)
            try Self.logAccount(db, name, action: "add", role: role, by: author, at: now)
            return Account(name: name, role: role, createdAt: now, updatedAt: now)
        }
    }

    /// Gives an account a new password.
    public func setPassword(_ name: String, password: String, by author: String, hasher: some PasswordHasher) throws {
        if let problem = AccountRules.passwordProblem(password) { throw StoreError.invalidField(name: "password", reason: problem) }
        let hash = hasher.hash(password)
        try write { db in
            guard let stored: String = try db.fetchValue("SELECT name FROM account WHERE \(literal: Self.accountNamed(name))") else {
                throw StoreError.unknownAccount(name: name)
            }
            let now = Timestamp.now()
            try db.execute("UPDATE account SET password_hash = \(hash), updated_at = \(now) WHERE name = \(stored)")
            try Self.logAccount(db, stored, action: "passwd", role: nil, by: author, at: now)
        }
    }

    /// Removes an account. Its revisions keep its name; its sessions end at their next request.
    public func removeAccount(_ name: String, by author: String) throws {
        try write { db in
            guard let row = try db.fetchOne("SELECT name, role FROM account WHERE \(literal: Self.accountNamed(name))") else {
                throw StoreError.unknownAccount(name: name)
            }
            let stored: String = try row["name"]
            try db.execute("DELETE FROM account WHERE name = \(stored)")
            try Self.logAccount(db, stored, action: "remove", role: Role(rawValue: try row["role"]), by: author, at: Timestamp.now())
        }
    }

    /// The account log, oldest first: who added, re-passworded or removed which account, when.
    public func accountEvents() throws -> [AccountEvent] {
        try read { db in
            // "by" is quoted: PostgreSQL reserves the word.
            try db.fetchAll(#"SELECT at, account, action, role, "by" FROM account_event ORDER BY id"#).map { row in
                AccountEvent(at: try row["at"], account: try row["account"], action: try row["action"], role: try row["role"], by: try row["by"])
            }
        }
    }

    static func logAccount(_ db: any StoreSession, _ name: String, action: String, role: Role?, by author: String, at now: String) throws {
        let id = SQLQuery.nextID("account_event")
        try db.execute("""
            INSERT INTO account_event (\(literal: id.column)at, account, action, role, "by")
            VALUES (\(literal: id.value)\(now), \(name), \(action), \(role?.rawValue), \(author))
            """)
    }

    /// The condition that finds the account called `name` in any letter case: SQLite's column
    /// is NOCASE; PostgreSQL's unique index is on lower(name).
    static func accountNamed(_ name: String) -> SQLQuery {
        .either(sqlite: "name = \(name)", postgres: "lower(name) = lower(\(name))")
    }

    static func decodeAccount(_ row: SQLRow) throws -> Account {
        try Account(name: row["name"], role: Role(rawValue: row["role"]) ?? .writer, createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    /// A hash to check unknown names against, made once per hasher type.
    private static func decoyHash(_ hasher: some PasswordHasher) -> String {
        decoys.withLock { cache in
            let key = String(describing: type(of: hasher))
            if let hash = cache[key] { return hash }
            let hash = hasher.hash("no such account")
            cache[key] = hash
            return hash
        }
    }

    private static let decoys = Mutex<[String: String]>([:])

    // MARK: Review rules

    /// The people who wrote the changes now waiting for approval: the authors of the edits and
    /// reverts made since the live revision (since the entry was created, when nothing is live).
    /// Imports are the site's text, not a person's change.
    public func changeAuthors(_ ref: String) throws -> Set<String> {
        try read { db in try Self.changeAuthors(db, header: try Self.resolve(db, ref: ref)) }
    }

    static func changeAuthors(_ db: any StoreSession, header: EntryHeader) throws -> Set<String> {
        let authors: [String] = try db.fetchValues("""
            SELECT DISTINCT author FROM revision
            WHERE entry_id = \(header.id) AND number > \(header.live ?? 0) AND origin IN ('edit', 'revert') AND upstream = 0
            """)
        return Set(authors.map { $0.lowercased() })
    }

    /// Whether `author` may approve the entry's change: not when they wrote part of it and is
    /// an account of this store, unless `review.self_approve` is true. (Without accounts there
    /// is no one else to tell apart: the CLI trusts its user, as git does.)
    public func mayApprove(_ ref: String, author: String) throws -> Bool {
        try read { db in try Self.selfApprovalProblem(db, header: try Self.resolve(db, ref: ref), author: author) == nil }
    }

    /// Whether `review.self_approve` lets anyone approve a change they wrote: the one reading
    /// of the setting, for the approval check and for the pages that say what the rule is.
    public func allowsSelfApproval() throws -> Bool {
        try read { db in try Self.allowsSelfApproval(db) }
    }

    static func allowsSelfApproval(_ db: any StoreSession) throws -> Bool {
        try db.fetchValue("SELECT value FROM setting WHERE key = \(SettingKey.reviewSelfApprove.rawValue)") == "true"
    }

    static func selfApprovalProblem(_ db: any StoreSession, header: EntryHeader, author: String) throws -> StoreError? {
        if try allowsSelfApproval(db) { return nil }
        guard try db.fetchOne("SELECT 1 FROM account WHERE \(literal: Self.accountNamed(author))") != nil else {
            return nil
        }
        guard try changeAuthors(db, header: header).contains(author.lowercased()) else { return nil }
        return StoreError.selfApproval(slug: header.slug, author: author)
    }
}

/// One line of the account log.
public struct AccountEvent: Sendable, Equatable, Codable {
    public var at: String
    public var account: String
    public var action: String
    public var role: String?
    public var by: String
}
