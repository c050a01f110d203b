/// The store's schema: numbered SQL migrations, embedded in the binary.
public enum Schema {
    /// One migration: an identifier that never changes once released, and its SQL.
    public struct Migration: Sendable {
        public let identifier: String
        public let sql: String
    }

    /// Every migration, oldest first. Append new ones; never edit a released one.
    public static let migrations: [Migration] = [
        Migration(identifier: "0001_initial", sql: text(PackageResources._001_initial_sql)),
        Migration(identifier: "0002_search", sql: text(PackageResources._002_search_sql)),
        Migration(identifier: "0003_export_order", sql: text(PackageResources._003_export_order_sql)),
        Migration(identifier: "0004_no_link_url_index", sql: text(PackageResources._004_no_link_url_index_sql)),
        Migration(identifier: "0005_import_roots", sql: text(PackageResources._005_import_roots_sql)),
        Migration(identifier: "0006_revision_hash", sql: text(PackageResources._006_revision_hash_sql)),
        Migration(identifier: "0007_feed_date_known", sql: text(PackageResources._007_feed_date_known_sql)),
        Migration(identifier: "0008_schedule", sql: text(PackageResources._008_schedule_sql)),
        Migration(identifier: "0009_accounts", sql: text(PackageResources._009_accounts_sql)),
        Migration(identifier: "0010_head_status_index", sql: text(PackageResources._010_head_status_index_sql)),
        Migration(identifier: "0011_import_fetched_at", sql: text(PackageResources._011_import_fetched_at_sql)),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
