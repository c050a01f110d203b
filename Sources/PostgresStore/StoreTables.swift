/// One value of a store's row, as both backends hold it: every column of the store is a
/// 64-bit integer or text (or NULL), which is what makes a copy between them exact.
public enum Cell: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
}

/// A table of the store and its columns, in the order a copy reads and writes them.
struct TableSpec: Sendable {
    struct Column: Sendable {
        let name: String
        let integer: Bool
    }

    let name: String
    let columns: [Column]
    /// The primary key, which orders the rows: the same order on both backends.
    let key: [String]

    init(_ name: String, key: [String], _ columns: [(String, Bool)]) {
        self.name = name
        self.key = key
        self.columns = columns.map { Column(name: $0.0, integer: $0.1) }
    }

    /// Quoted identifiers: some column names (`by`, `position`, `key`) are SQL keywords. The
    /// names are this file's constants, never input.
    static func quoted(_ name: String) -> String { "\"\(name)\"" }

    func selectSQL(_ columns: [Column]? = nil) -> String {
        let list = (columns ?? self.columns).map { Self.quoted($0.name) }.joined(separator: ", ")
        return "SELECT \(list) FROM \(Self.quoted(name)) ORDER BY \(key.map(Self.quoted).joined(separator: ", "))"
    }

    /// The columns a copy inserts: the feed dates of `entry` follow from its revisions by a
    /// trigger, so they are written after the revisions (`feedDates`).
    var insertedColumns: [Column] {
        name == "entry" ? columns.filter { !$0.name.hasSuffix("_feed_date") } : columns
    }

    /// Every table of the store, parents before children (revisions and links name an entry).
    /// A table the store gains in a later migration must be added here, else `store copy`
    /// refuses stores that have it (`unknownTables`) rather than dropping it silently.
    static let all: [TableSpec] = [
        TableSpec("entry", key: ["id"], [
            ("id", true), ("slug", false), ("kind", false), ("import_key", false), ("head", true), ("live", true),
            ("last_import", true), ("import_hash", false), ("created_at", false), ("updated_at", false),
            ("live_feed_date", false), ("head_feed_date", false),
        ]),
        TableSpec("revision", key: ["id"], [
            ("id", true), ("entry_id", true), ("number", true), ("parent", true), ("origin", false), ("author", false),
            ("created_at", false), ("message", false), ("upstream", true), ("status", false), ("title", false),
            ("body", false), ("summary", false), ("image_url", false), ("source_url", false), ("edited_at", false),
            ("published_at", false), ("related", false), ("articles", false), ("hash", false),
            ("lines_added", true), ("lines_removed", true), ("publish_at", false), ("expire_at", false),
            ("scheduled_revision", true),
        ]),
        TableSpec("link", key: ["entry_id", "role", "position"], [
            ("entry_id", true), ("role", false), ("position", true), ("title", false), ("url", false), ("slug", false),
        ]),
        TableSpec("import_file", key: ["path"], [("path", false), ("hash", false), ("imported_at", false)]),
        TableSpec("setting", key: ["key"], [("key", false), ("value", false)]),
        TableSpec("import_root", key: ["base_url", "root"], [("base_url", false), ("root", false), ("recorded_at", false)]),
        TableSpec("revision_hash_scheme", key: ["scheme"], [("scheme", true), ("first_revision_id", true)]),
        TableSpec("account", key: ["name"], [
            ("name", false), ("role", false), ("password_hash", false), ("created_at", false), ("updated_at", false),
        ]),
        TableSpec("account_event", key: ["id"], [
            ("id", true), ("at", false), ("account", false), ("action", false), ("role", false), ("by", false),
        ]),
    ]

    /// Tables a new store already fills (migration 0006's scheme row): a copy replaces their rows
    /// and does not count them when it checks that the destination is empty.
    static let seeded: Set<String> = ["revision_hash_scheme"]
}
