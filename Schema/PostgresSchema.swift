/// The PostgreSQL store's schema (issue 19): numbered SQL migrations like the SQLite ones in
/// `Schema.migrations`, but numbered on their own, since PostgreSQL starts from the SQLite
/// store's final shape rather than replaying its history.
public enum PostgresSchema {
    /// Every PostgreSQL migration, oldest first. Append new ones; never edit a released one.
    public static let migrations: [Schema.Migration] = [
        Schema.Migration(identifier: "0001_postgres_initial", sql: String(decoding: PackageResources._001_postgres_initial_sql, as: UTF8.self)),
        Schema.Migration(identifier: "0002_postgres_search", sql: String(decoding: PackageResources._002_postgres_search_sql, as: UTF8.self)),
        Schema.Migration(identifier: "0003_byte_order", sql: String(decoding: PackageResources._003_byte_order_sql, as: UTF8.self)),
    ]
}
