import Foundation
import PMCMS

/// The parts of diff and history text a terminal may colour.
enum TextRole: Sendable {
    case heading, hunk, added, removed, field, dim
}

/// Colours text for a role; `DiffText.plain` leaves it as it is (no terminal, `NO_COLOR`).
typealias TextStyler = @Sendable (String, TextRole) -> String

/// The text forms of an `EntryDiff`: unified, word-level and stat.
enum DiffText {
    static let plain: TextStyler = { text, _ in text }

    /// A value as a field line shows it: absent values as `(none)`, newlines made visible so
    /// that each change stays on one line.
    static func show(_ value: String?) -> String {
        guard let value else { return "(none)" }
        if value.isEmpty { return "\"\"" }
        return value.replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A blamed field's value for one line of text: links as a count and their titles.
    static func summary(_ blame: FieldBlame) -> String {
        guard let value = blame.value else { return "(none)" }
        switch blame.field {
        case .related, .articles:
            let links = (try? JSONDecoder().decode([LinkRef].self, from: Data(value.utf8))) ?? []
            if links.isEmpty { return "(none)" }
            let titles = links.prefix(3).map(\.title).joined(separator: "; ")
            return "\(Plural.count(links.count, "link")): \(titles)\(links.count > 3 ? "; …" : "")"
        case .body:
            let count = TextLines(value).lines.count
            return Plural.count(count, "line")
        default:
            return show(value)
        }
    }

    /// `--- r2 · 2026-11-29T10:00:00Z · sam · edit · "message"`
    static func revisionLine(_ info: RevisionInfo) -> String {
        var parts = ["r\(info.number)", info.createdAt, info.author, info.origin.rawValue]
        if info.upstream { parts.append("upstream") }
        if let message = info.message, !message.isEmpty { parts.append("\"\(message)\"") }
        return parts.joined(separator: " · ")
    }

    /// The header, the field and link changes, and the body as a unified (or word) diff.
    /// `named` says that the person named the revisions: then one revision compared with
    /// itself has no changes, rather than nothing before it.
    static func render(_ diff: EntryDiff, words: Bool = false, named: Bool = false, style: TextStyler = plain) -> String {
        var out: [String] = []
        out.append(style("diff \(diff.slug) r\(diff.from.number) → r\(diff.to.number)", .heading))
        out.append(style("--- " + revisionLine(diff.from), .heading))
        out.append(style("+++ " + revisionLine(diff.to), .heading))
        if diff.isEmpty {
            if diff.from.number != diff.to.number {
                out.append("no changes: r\(diff.from.number) and r\(diff.to.number) have the same content")
            } else if diff.to.parent == nil && !named {
                out.append("r\(diff.to.number) is the first revision: nothing before it to compare (see `pmcms show \(diff.slug) --rev \(diff.to.number)`)")
            } else {
                out.append("no changes: both are r\(diff.to.number)")
            }
            return out.joined(separator: "\n")
        }
        out += fieldLines(diff, style: style)
        out += bodyLines(diff, words: words, style: style)
        return out.joined(separator: "\n")
    }

    /// `title: old → new`, then `related: + Title (slug)` and the like.
    static func fieldLines(_ diff: EntryDiff, style: TextStyler = plain) -> [String] {
        var out: [String] = []
        for change in diff.fields {
            out.append(style("\(change.field.rawValue):", .field) + " \(show(change.old)) → \(show(change.new))")
        }
        for change in diff.links {
            let name = style("\(change.field.rawValue):", .field)
            let target = change.link.slug ?? change.link.url ?? ""
            let label = "\(change.link.title)" + (target.isEmpty ? "" : " (\(target))")
            switch change.kind {
            case .added:
                out.append("\(name) " + style("+ \(label)", .added) + " at \(change.newPosition ?? 0)")
            case .removed:
                out.append("\(name) " + style("- \(label)", .removed) + " was at \(change.oldPosition ?? 0)")
            case .moved:
                out.append("\(name) moved \(label): \(change.oldPosition ?? 0) → \(change.newPosition ?? 0)")
            case .retitled:
                out.append("\(name) retitled at \(change.newPosition ?? 0): \(show(change.oldTitle)) → \(show(change.link.title))")
            }
        }
        return out
    }

    /// The body hunks, each under its `@@` header; in word mode, each run of changed lines is
    /// shown once with `[-removed-]` and `{+added+}` words inside it.
    static func bodyLines(_ diff: EntryDiff, words: Bool, style: TextStyler = plain) -> [String] {
        var out: [String] = []
        for hunk in diff.body.hunks {
            out.append(style(hunk.header, .hunk))
            if words {
                out += wordLines(hunk, style: style)
            } else {
                for line in hunk.lines {
                    let text = line.op.marker + line.text
                    out.append(line.op == .context ? text : style(text, line.op == .added ? .added : .removed))
                }
            }
        }
        if let note = newlineNote(diff.body) { out.append(style(note, .dim)) }
        return out
    }

    /// Says when only a final newline was added or dropped, which no line shows.
    static func newlineNote(_ body: BodyDiff) -> String? {
        guard body.oldEndsWithNewline != body.newEndsWithNewline else { return nil }
        return body.newEndsWithNewline ? "\\ newline added at end of body" : "\\ no newline at end of body"
    }

    static func wordLines(_ hunk: DiffHunk, style: TextStyler) -> [String] {
        var out: [String] = []
        var removed: [String] = [], added: [String] = []
        func flush() {
            guard !removed.isEmpty || !added.isEmpty else { return }
            let segments = WordDiff.segments(old: removed.joined(separator: "\n"), new: added.joined(separator: "\n"))
            out += wordText(segments, style: style).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            removed = []
            added = []
        }
        for line in hunk.lines {
            switch line.op {
            case .removed: removed.append(line.text)
            case .added: added.append(line.text)
            case .context:
                flush()
                out.append(line.text)
            }
        }
        flush()
        return out
    }

    /// Marks each changed run line by line, so a marker never spans a line break.
    static func wordText(_ segments: [WordSegment], style: TextStyler = plain) -> String {
        var text = ""
        for segment in segments {
            switch segment.op {
            case .context:
                text += segment.text
            case .removed, .added:
                let (open, close, role): (String, String, TextRole) =
                    segment.op == .removed ? ("[-", "-]", .removed) : ("{+", "+}", .added)
                text += segment.text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : style(open + $0 + close, role) }
                    .joined(separator: "\n")
            }
        }
        return text
    }

    /// `--stat`: one line per changed field, one for links, one for the body, then a total.
    static func stat(_ diff: EntryDiff, style: TextStyler = plain) -> String {
        let stat = DiffStat(diff)
        var rows: [(String, String)] = []
        for change in diff.fields {
            rows.append((change.field.rawValue, change.field == .status ? "\(show(change.old)) → \(show(change.new))" : "changed"))
        }
        for field in [SnapshotField.related, .articles] {
            let changes = diff.links.filter { $0.field == field }
            guard !changes.isEmpty else { continue }
            var parts: [String] = []
            for kind in [LinkChangeKind.added, .removed, .moved, .retitled] {
                let n = changes.filter { $0.kind == kind }.count
                if n > 0 { parts.append("\(n) \(kind.rawValue)") }
            }
            rows.append((field.rawValue, parts.joined(separator: ", ")))
        }
        if diff.body.changed {
            let bar = style(String(repeating: "+", count: min(stat.linesAdded, 30)), .added)
                + style(String(repeating: "-", count: min(stat.linesRemoved, 30)), .removed)
            rows.append(("body", "+\(stat.linesAdded) -\(stat.linesRemoved) \(bar)"))
        }
        var out = [style("diff \(diff.slug) r\(diff.from.number) → r\(diff.to.number)", .heading)]
        let width = rows.map(\.0.count).max() ?? 0
        out += rows.map { " " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + " | " + $0.1 }
        let linkCount = stat.linksAdded + stat.linksRemoved + stat.linksMoved + stat.linksRetitled
        out.append(" " + [
            Plural.count(stat.fields.count, "field"), Plural.count(linkCount, "link change"),
            "\(Plural.count(stat.linesAdded, "line")) added", "\(Plural.count(stat.linesRemoved, "line")) removed",
        ].joined(separator: ", "))
        return out.joined(separator: "\n")
    }
}
