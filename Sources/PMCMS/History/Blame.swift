import Foundation

/// Which revision last changed something: its number, author, time and origin.
public struct Attribution: Sendable, Hashable {
    public var revision: Int
    public var author: String
    public var createdAt: String
    public var origin: Origin
    public var message: String?

    init(_ info: RevisionInfo) {
        revision = info.number
        author = info.author
        createdAt = info.createdAt
        origin = info.origin
        message = info.message
    }
}

/// One body line with the revision that last introduced its text.
public struct BlameLine: Sendable, Hashable {
    /// 1-based line number in the current body.
    public var number: Int
    public var text: String
    public var by: Attribution
}

/// One field with its current value and the revision that last changed it.
public struct FieldBlame: Sendable, Hashable {
    public var field: SnapshotField
    /// The value as stored; links as their JSON, which `summary` shortens for display.
    public var value: String?
    public var by: Attribution
}

/// Who last changed each line of an entry's body and each of its fields.
///
/// Blame follows the head's line of descent, from revision 1 through each `parent`, oldest to
/// newest, and carries each line's attribution through the `CollectionDifference` of every step:
/// a line the step keeps keeps its attribution, a line it inserts is attributed to that step.
///
/// - A revert is a change like any other, as `git blame` treats a `git revert` commit: lines it
///   brings back are attributed to the revert revision (its origin says `revert` and its message
///   names the revision it restored); lines it leaves as they were keep their attribution.
/// - An import that became the head is attributed like an edit, to the import revision.
/// - Unmerged upstream imports are not on the line of descent, so they are never blamed for
///   text the entry does not show.
/// - A line is its text: adding or dropping the body's final newline changes no line.
public struct Blame: Sendable {
    public var header: EntryHeader
    /// The revision blamed: the head.
    public var revision: Int
    public var lines: [BlameLine]
    public var fields: [FieldBlame]

    /// Computes blame over `ancestry`, the head's line of descent oldest first (as
    /// `ContentStore.ancestry(_:)` returns it).
    public init(header: EntryHeader, ancestry: [AncestorRevision]) {
        self.header = header
        revision = ancestry.last?.info.number ?? header.head
        guard let first = ancestry.first else {
            lines = []
            fields = []
            return
        }
        // Lines are compared as small integers: interning each distinct text once makes every
        // step's difference a comparison of Ints instead of strings.
        var ids: [Substring: Int] = [:]
        func intern(_ lines: [Substring]) -> [Int] {
            lines.map { line in
                if let id = ids[line] { return id }
                let id = ids.count
                ids[line] = id
                return id
            }
        }
        var current = TextLines(first.body).lines
        var currentIDs = intern(current)
        var owner = [Int](repeating: 0, count: current.count)  // index into ancestry
        var previousBody = first.body
        for step in ancestry.indices.dropFirst() {
            let body = ancestry[step].body
            if body == previousBody { continue }  // workflow steps and field edits: nothing moves
            previousBody = body
            let next = TextLines(body).lines
            let nextIDs = intern(next)
            let difference = nextIDs.difference(from: currentIDs)
            var removed = [Bool](repeating: false, count: currentIDs.count)
            var inserted = [Bool](repeating: false, count: nextIDs.count)
            for change in difference {
                switch change {
                case .remove(let offset, _, _): removed[offset] = true
                case .insert(let offset, _, _): inserted[offset] = true
                }
            }
            var nextOwner = [Int](repeating: step, count: nextIDs.count)
            var i = 0
            for j in nextIDs.indices where !inserted[j] {
                while i < removed.count && removed[i] { i += 1 }
                if i < owner.count { nextOwner[j] = owner[i] }
                i += 1
            }
            current = next
            currentIDs = nextIDs
            owner = nextOwner
        }
        let attributions = ancestry.map { Attribution($0.info) }
        lines = current.enumerated().map { index, text in
            BlameLine(number: index + 1, text: String(text), by: attributions[owner[index]])
        }

        var fieldBlames: [FieldBlame] = []
        for (column, field) in SnapshotField.allCases.enumerated() {
            var last = 0
            for step in ancestry.indices.dropFirst() where ancestry[step].fields[column] != ancestry[step - 1].fields[column] {
                last = step
            }
            let value = ancestry[ancestry.count - 1].fields[column]
            // A schedule is listed only while one is set, so blame reads as before for the rest.
            if value == nil && (field == .publishAt || field == .expireAt) { continue }
            fieldBlames.append(FieldBlame(field: field, value: value, by: attributions[last]))
        }
        fields = fieldBlames
    }
}

extension ContentStore {
    /// Blame of the entry's current revision: each body line and each field with the revision
    /// that last changed it. Reads only the head's line of descent.
    public func blame(_ ref: String) throws -> Blame {
        let (header, revisions) = try ancestry(ref)
        return Blame(header: header, ancestry: revisions)
    }
}
