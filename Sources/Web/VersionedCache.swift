import Foundation
import NIOCore
import PMCMS
import Synchronization

/// A version of the store that kept values are computed at. Versions only grow, except where
/// a change leaves no number behind (a setting): `isOlder` says when one is certainly older, so
/// that a slow request that read an older version does not drop what newer requests keep.
protocol CacheVersion: Equatable, Sendable {
    func isOlder(than other: Self) -> Bool
}

extension Int64: CacheVersion {
    func isOlder(than other: Int64) -> Bool { self < other }
}

extension StoreVersion: CacheVersion {
    func isOlder(than other: StoreVersion) -> Bool { content < other.content || accounts < other.accounts }
}

/// Values computed from the store, kept for one version of it (`ContentStore.contentVersion`,
/// the newest revision's id, which every write by any process moves; or the whole
/// `StoreVersion`, which accounts and settings move too). A request reads the version (with what
/// it needs to know, in one snapshot) and takes a kept value only when it was computed at that
/// very version, so a write from the CLI, an import or another connection is seen by the next
/// request. When another version is seen, everything kept is dropped. Never keyed on time.
final class VersionedCache<Version: CacheVersion, Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var version: Version?
        var values: [Key: Value] = [:]
        var computed = 0
    }

    private let state = Mutex(State())
    /// Values kept at most; past it the cache starts over, which costs recomputing and is never
    /// wrong.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value kept for `key` at `version`, or nil.
    func value(_ key: Key, version: Version) -> Value? {
        state.withLock { state in state.version == version ? state.values[key] : nil }
    }

    /// Keeps `value`, computed from content read after `version` was (so at least as new as it).
    /// A value for a version older than the one kept now is not kept.
    func keep(_ value: Value, _ key: Key, version: Version) {
        state.withLock { state in
            state.computed += 1
            if let kept = state.version, kept != version {
                guard !version.isOlder(than: kept) else { return }
                state.values.removeAll(keepingCapacity: true)
            }
            state.version = version
            if state.values.count >= capacity { state.values.removeAll(keepingCapacity: true) }
            state.values[key] = value
        }
    }

    /// How many values were computed and offered to `keep` (the tests' view of hits and misses).
    var computed: Int { state.withLock { $0.computed } }
}

/// Whole pages as one person sees them (the queue, the entries list and search, an entry, a
/// diff), kept per `StoreVersion`: a page depends on the store's content, the settings (the
/// self-approval rule decides the approve button) and who asks (their role's buttons, their form
/// token). Showing the same page again to the same person, while nothing changed, is then a
/// lookup: no read, no rendering. Only GET pages that answered 200 are kept.
enum PageCache {
    /// A page as asked for (path and query, as sent) by one person in one session.
    struct Key: Hashable, Sendable {
        var uri: String
        var name: String
        var role: Role
        var csrf: String
        var hasAccount: Bool

        init(uri: String, viewer: Viewer) {
            self.uri = uri
            name = viewer.name
            role = viewer.role
            csrf = viewer.csrf
            hasAccount = viewer.hasAccount
        }
    }

    /// About 20 KB a page for a seed-shaped entry: at most some 40 MB.
    static func make() -> VersionedCache<StoreVersion, Key, ByteBuffer> { VersionedCache(capacity: 2_000) }
}

/// Who a session is, as the gate last found it at a `StoreVersion` (which every change to an
/// account moves): the account's name and role, or, for the one-time link, whether the store
/// still has no accounts. Nil when the session no longer lets anyone in.
enum ViewerCache {
    /// The account a session was opened for, or nil for the one-time link's session.
    struct Key: Hashable, Sendable {
        var account: String?
    }

    struct Found: Sendable {
        var name: String
        var role: Role
    }

    /// Wrapped, so that "nobody" can be kept too.
    struct Lookup: Sendable {
        var found: Found?

        /// The viewer behind `session`, or nil when it lets nobody in.
        func viewer(_ session: DeskSession) -> Viewer? {
            found.map { Viewer(name: $0.name, role: $0.role, csrf: session.csrf, hasAccount: session.account != nil) }
        }
    }

    static func make() -> VersionedCache<StoreVersion, Key, Lookup> { VersionedCache(capacity: 1_000) }
}

/// The rendered parts of entry pages that every viewer sees alike (`EntryPage` through the
/// `entry_top` and `entry_rest` templates), kept per content version, so that showing an
/// unchanged entry again costs a header read and the person's own buttons instead of reading,
/// decoding, resolving and rendering the whole entry (about 15 ms of CPU for a seed-shaped
/// question at 100,000 entries). Everything an entry page shows (its fields, pointers, history
/// and the entries its links resolve to) changes only with a new revision, which moves the
/// version. The form token, the role's buttons and the top bar are rendered around the parts
/// for each request.
enum EntryPageCache {
    /// What a page was rendered from: the entry and its head and live revisions (at one version).
    struct Key: Hashable, Sendable {
        var entryID: Int64
        var head: Int
        var live: Int?

        init(_ stamp: EntryStamp) {
            entryID = stamp.header.id
            head = stamp.header.head
            live = stamp.header.live
        }
    }

    /// An entry's page parts, with what the per-request buttons need to know of it.
    struct Parts: Sendable {
        var top: String
        var rest: String
        var slug: String
        var title: String
        var status: Status
        /// The head revision the parts show, which every button's form carries.
        var revision: Int
    }

    /// About 20 KB a page for a seed-shaped question.
    static func make() -> VersionedCache<Int64, Key, Parts> { VersionedCache(capacity: 2_000) }
}

/// Search rankings kept per content version: ranking is the cost of a search (bm25 over every
/// match), and one ranking of the best `depth` matches serves the count and every page within
/// it; each page then reads only its own hits and snippets.
enum SearchRankingCache {
    /// A search as typed (trimmed) with its filters.
    struct Key: Hashable, Sendable {
        var text: String
        var kind: Kind?
        var status: Status?
    }

    /// Matches ranked and kept per search: the count says "more than" past it.
    static let depth = 1_000

    static func make() -> VersionedCache<Int64, Key, SearchRanking> { VersionedCache(capacity: 256) }
}
