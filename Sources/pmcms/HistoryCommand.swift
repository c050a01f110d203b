import ArgumentParser
import PMCMS

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List an entry's revisions, oldest first.",
        discussion: """
            One line per revision: number, time (UTC), author, origin (import, edit, workflow, \
            revert), status, body lines added and removed against its parent, and message. \
            [live] marks the revision the site shows, [latest] the current one when it is not \
            live, and [upstream, unmerged] an import that arrived after an editor's change and was kept \
            in history without replacing the editor's text (compare it with \
            `pmcms diff REF upstream`).

            Examples:
              pmcms history is-pmo-more-senior-than-project-manager
              pmcms history 12 --json
              pmcms diff 12 3 5          # then compare two of them
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EntryRef
    @OptionGroup var output: JSONFlag

    func run() throws {
        let store = try global.openStore(.read)
        let header = try store.header(target.ref)
        let revisions = try store.revisions(target.ref)
        if output.json {
            print(try JSONOutput.string(revisions, pretty: true))
            return
        }
        for line in HistoryText.lines(revisions, head: header.head) { print(line) }
    }
}

/// The text of `history` and `log`: aligned columns, tags for live, latest and upstream.
enum HistoryText {
    static func lines(_ revisions: [RevisionInfo], head: Int) -> [String] {
        let numberWidth = revisions.map { "r\($0.number)".count }.max() ?? 2
        let authorWidth = min(revisions.map(\.author.count).max() ?? 0, 16)
        let countWidth = revisions.map { counts($0).count }.max() ?? 0
        // Tags get a column of their own before the message, so that they line up without
        // padding messages of any length.
        let tagTexts = revisions.map { info in tags(info, head: head).map { "[\($0)]" }.joined(separator: " ") }
        let tagWidth = tagTexts.map(\.count).max() ?? 0
        return zip(revisions, tagTexts).map { info, tagText in
            var line = "r\(info.number)".padding(toLength: numberWidth, withPad: " ", startingAt: 0)
            line += "  " + time(info.createdAt)
            line += "  " + pad(Terminal.oneLine(info.author), authorWidth)
            line += "  " + Terminal.styled(pad(info.origin.rawValue, 8), .cyan)
            line += "  " + Terminal.styled(pad(info.status.rawValue, 9), EntryLine.color(info.status))
            line += "  " + counts(info).padding(toLength: countWidth, withPad: " ", startingAt: 0)
            if tagWidth > 0 {
                line += "  " + Terminal.styled(tagText, .yellow) + String(repeating: " ", count: tagWidth - tagText.count)
            }
            line += "  " + Terminal.oneLine(info.message ?? "")
            return line.trimmingTrailingSpaces()
        }
    }

    static func tags(_ info: RevisionInfo, head: Int) -> [String] {
        var tags: [String] = []
        if info.live { tags.append("live") }
        if info.number == head && !info.live { tags.append("latest") }
        if info.upstream { tags.append("upstream, unmerged") }
        if let publishAt = info.publishAt { tags.append("publish \(time(publishAt))") }
        if let expireAt = info.expireAt { tags.append("expire \(time(expireAt))") }
        return tags
    }

    static func counts(_ info: RevisionInfo) -> String {
        Terminal.styled("+\(info.linesAdded)", .green) + " " + Terminal.styled("-\(info.linesRemoved)", .red)
    }

    /// `2026-11-29 10:05:00Z`: the stored UTC time, easier to read with a space.
    static func time(_ stamp: String) -> String {
        stamp.count == 20 ? stamp.replacingOccurrences(of: "T", with: " ") : stamp
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let cut = text.count > width ? String(text.prefix(max(width - 1, 0))) + "…" : text
        return cut.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
