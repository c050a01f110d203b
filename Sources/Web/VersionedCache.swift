import Foundation
import PMCMS
import Synchronization

/// Values computed from the store's content, kept for one content version
/// (`ContentStore.contentVersion`: the newest revision's id, which every write by any process
/// moves). A request reads the version (with what it needs to know, in one snapshot) and takes a
/// kept value only when it was computed at that very version, so a write from the CLI, an import
/// or another connection is seen by the next request. When a newer version is seen, everything
/// kept is dropped: the version only grows. Never keyed on time; never holding anything of a
/// session.
final class VersionedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var version: Int64 = -1
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
    func value(_ key: Key, version: Int64) -> Value? {
        state.withLock { state in state.version == version ? state.values[key] : nil }
    }

    /// Keeps `value`, computed from content read after `version` was (so at least as new as it).
    /// A value from a snapshot older than the newest version seen is not kept.
    func keep(_ value: Value, _ key: Key, version: Int64) {
        state.withLock { state in
            state.computed += 1
            if version > state.version {
                state.version = version
                state.values.removeAll(keepingCapacity: true)
            }
            guard version == state.version else { return }
            if state.values.count >= capacity { state.values.removeAll(keepingCapacity: true) }
            state.values[key] = value
        }
    }

    /// How many values were computed and offered to `keep` (the tests' view of hits and misses).
    var computed: Int { state.withLock { $0.computed } }
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
    static func make() -> VersionedCache<Key, Parts> { VersionedCache(capacity: 2_000) }
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

    static func make() -> VersionedCache<Key, SearchRanking> { VersionedCache(capacity: 256) }
}
