import Foundation

/// Three-way merges: a person's changes (`ours`, made from `base`) applied on top of what
/// someone else made of the same base meanwhile (`theirs`, the entry's current revision).
///
/// A field or a run of body lines that only one side changed takes that side's value; one
/// that both changed the same way takes it once; one that both changed differently is a
/// conflict and is never decided silently.
public enum Merge3 {
    /// Markers around conflicting body lines, as git writes them.
    public static let oursMarker = "<<<<<<< yours"
    public static let separatorMarker = "======="
    public static func theirsMarker(_ label: String) -> String { ">>>>>>> \(label)" }

    /// The outcome of merging one value.
    public enum Value<T: Equatable>: Equatable {
        case merged(T)
        case conflict(ours: T, theirs: T)
    }

    /// Merges one whole value: a change on one side wins over no change on the other.
    public static func value<T: Equatable>(base: T, ours: T, theirs: T) -> Value<T> {
        if ours == theirs || ours == base { return .merged(theirs) }
        if theirs == base { return .merged(ours) }
        return .conflict(ours: ours, theirs: theirs)
    }

    /// The merged body lines; a conflicting run is kept between markers, ours first.
    public struct TextResult: Equatable, Sendable {
        public var text: String
        public var conflicts: Int
    }

    /// Merges texts line by line (diff3): runs between lines that neither side touched are
    /// merged as whole values.
    public static func text(base: String, ours: String, theirs: String, theirsLabel: String) -> TextResult {
        let b = TextLines(base).lines, o = TextLines(ours).lines, t = TextLines(theirs).lines
        let toOurs = keptLines(from: b, to: o), toTheirs = keptLines(from: b, to: t)
        var out: [Substring] = []
        var conflicts = 0
        var i = 0, a = 0, c = 0
        while true {
            // The next base line both sides kept ends the current unstable run.
            var k = i
            while k < b.count && (toOurs[k] == nil || toTheirs[k] == nil) { k += 1 }
            let stable: (Int, Int)? = k < b.count ? toOurs[k].flatMap { x in toTheirs[k].map { (x, $0) } } : nil
            let (ka, kc) = stable ?? (o.count, t.count)
            let baseRun = Array(b[i..<k]), oursRun = Array(o[a..<ka]), theirsRun = Array(t[c..<kc])
            switch value(base: baseRun, ours: oursRun, theirs: theirsRun) {
            case .merged(let lines):
                out += lines
            case .conflict(let mine, let other):
                conflicts += 1
                out.append(Substring(oursMarker))
                out += mine
                out.append(Substring(separatorMarker))
                out += other
                out.append(Substring(theirsMarker(theirsLabel)))
            }
            if stable == nil { break }
            out.append(b[k])
            (i, a, c) = (k + 1, ka + 1, kc + 1)
        }
        return TextResult(text: out.joined(separator: "\n"), conflicts: conflicts)
    }

    /// For each line of `old`, its index in `new` when the diff kept it, else nil.
    private static func keptLines(from old: [Substring], to new: [Substring]) -> [Int?] {
        var map = [Int?](repeating: nil, count: old.count)
        var j = 0
        for line in UnifiedDiff.script(old: old, new: new, text: String.init) {
            switch line.op {
            case .context:
                if let n = line.oldNumber { map[n - 1] = j }
                j += 1
            case .added: j += 1
            case .removed: break
            }
        }
        return map
    }

    /// An entry's content merged field by field, with the fields that conflict.
    public struct ContentResult: Sendable {
        /// The merge: conflicting scalar fields and links hold `ours`; a conflicting body holds
        /// both sides between markers.
        public var content: Content
        /// Conflicting fields with both values as the text shows them (`body` has none).
        public var conflicts: [(field: String, ours: String, theirs: String)]
    }

    /// Merges the editable fields; status and publication date are always `theirs`.
    public static func content(base: Content, ours: Content, theirs: Content, theirsLabel: String) -> ContentResult {
        var merged = theirs
        var conflicts: [(String, String, String)] = []
        func scalar(_ name: String, _ path: WritableKeyPath<Content, String?>) {
            switch value(base: base[keyPath: path], ours: ours[keyPath: path], theirs: theirs[keyPath: path]) {
            case .merged(let v): merged[keyPath: path] = v
            case .conflict(let mine, let other):
                merged[keyPath: path] = mine
                conflicts.append((name, mine ?? "(empty)", other ?? "(empty)"))
            }
        }
        switch value(base: base.title, ours: ours.title, theirs: theirs.title) {
        case .merged(let v): merged.title = v
        case .conflict(let mine, let other):
            merged.title = mine
            conflicts.append(("title", mine, other))
        }
        scalar("summary", \.summary)
        scalar("image_url", \.imageURL)
        scalar("source_url", \.sourceURL)
        scalar("edited_at", \.editedAt)
        func links(_ name: String, _ path: WritableKeyPath<Content, [LinkRef]>) {
            switch value(base: base[keyPath: path], ours: ours[keyPath: path], theirs: theirs[keyPath: path]) {
            case .merged(let v): merged[keyPath: path] = v
            case .conflict(let mine, let other):
                merged[keyPath: path] = mine
                func show(_ list: [LinkRef]) -> String { list.map { $0.slug ?? $0.url ?? $0.title }.joined(separator: ", ") }
                conflicts.append((name, show(mine), show(other)))
            }
        }
        links("related", \.related)
        links("articles", \.articles)
        let body = text(base: base.body, ours: ours.body, theirs: theirs.body, theirsLabel: theirsLabel)
        merged.body = body.text
        if body.conflicts > 0 {
            conflicts.append(("body", "", ""))
        }
        return ContentResult(content: merged, conflicts: conflicts)
    }
}
