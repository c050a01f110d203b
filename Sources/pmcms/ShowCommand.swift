import ArgumentParser
import PMCMS

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one entry, at its latest or any revision.",
        discussion: """
            REF is an entry's id or slug. Without --rev, shows the current revision; an entry \
            whose published revision is older says so ("live: r4 · latest: r5 (draft)").

            Examples:
              pmcms show is-pmo-more-senior-than-project-manager
              pmcms show 12 --rev 3
              pmcms show 12 --rev upstream
              pmcms show 12 --live --json
              pmcms show 12 --html > answer.html
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EntryRef
    @Option(help: ArgumentHelp("Show this revision instead of the latest: \(RevisionName.accepted).", valueName: "rev")) var rev: String?
    @Flag(help: "Show the live (published) revision.") var live = false
    @Flag(help: "Print only the body rendered as HTML.") var html = false
    @OptionGroup var output: JSONFlag
    @OptionGroup var pager: PagerFlag

    func validate() throws {
        if rev != nil && live { throw ValidationError("give --rev or --live, not both") }
        if let rev, RevisionName(parsing: rev) == nil { throw ValidationError("--rev '\(rev)' is not a revision: give \(RevisionName.accepted)") }
        if html && output.json { throw ValidationError("give --html or --json, not both") }
    }

    func run() throws {
        let store = try global.openStore(.read)
        var selector: RevisionSelector = live ? .live : .head
        if let name = rev.flatMap(RevisionName.init(parsing:)) {
            selector = .number(try RevisionNames.reporting { try store.revisionNumber(target.ref, name) })
        }
        let entry = try store.entry(target.ref, at: selector)
        // Started once the entry is found, so that an error never opens an empty pager.
        Pager.start(unless: pager.noPager)
        if output.json {
            print(try JSONOutput.string(entry, pretty: true))
        } else if html {
            print(Markdown.html(entry.content.body), terminator: "")
        } else {
            print(EntryText.format(entry))
        }
    }
}

/// The text form of an entry for `show`.
enum EntryText {
    static func format(_ entry: EntryView) -> String {
        let c = entry.content
        var lines: [String] = []
        lines.append(Terminal.styled(c.title, .bold))
        lines.append("\(entry.kind.rawValue) \(entry.slug) (id \(entry.id)) · \(c.status.rawValue)")
        lines.append(revisionLine(entry))
        var dates = ["edited \(c.editedAt ?? "never")", "created \(entry.header.createdAt)", "updated \(entry.header.updatedAt)"]
        if let published = c.publishedAt { dates.append("published \(published)") }
        lines.append(dates.joined(separator: " · "))
        if let schedule = scheduleLine(entry) { lines.append(schedule) }
        if let source = c.sourceURL { lines.append("source: \(source)") }
        if let summary = c.summary { lines.append("summary: \(summary)") }
        if let image = c.imageURL { lines.append("image: \(image)") }
        lines.append("")
        let body = c.body.trimmingCharacters(in: .newlines)
        lines.append(body.isEmpty ? Terminal.styled("(no body)", .dim) : body)
        if !entry.related.isEmpty {
            lines.append("")
            lines.append(Terminal.styled("Related questions (\(entry.related.count))", .bold))
            for (i, link) in entry.related.enumerated() {
                lines.append("  \(i + 1). \(link.title)\(target(link))")
            }
        }
        if !entry.articles.isEmpty {
            lines.append("")
            lines.append(Terminal.styled("Articles (\(entry.articles.count))", .bold))
            for (i, link) in entry.articles.enumerated() {
                lines.append("  \(i + 1). \(link.title)\(target(link))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "schedule: publish 2026-12-01T09:00:00Z · expire …", with a warning when the entry
    /// changed after it was scheduled (`publish-due` will not publish it); nil without one.
    static func scheduleLine(_ entry: EntryView) -> String? {
        let schedule = entry.content.schedule
        guard let summary = schedule.summary else { return nil }
        var line = "schedule: \(summary)"
        if schedule.publishAt != nil, let pinned = schedule.pinnedRevision, pinned != entry.revision || entry.content.status != .approved {
            line += Terminal.styled(" (changed since it was scheduled at r\(pinned): it will not be published; approve it and `pmcms schedule \(entry.slug) --at TIME` again)", .yellow)
        }
        return line
    }

    static func revisionLine(_ entry: EntryView) -> String {
        let head = entry.header.head
        var parts: [String] = []
        if entry.revision != head { parts.append("showing r\(entry.revision)") }
        if let live = entry.header.live {
            parts.append("live: r\(live)")
        } else {
            parts.append("live: none")
        }
        parts.append("latest: r\(head)\(entry.header.live == head ? "" : " (\(entry.revision == head ? entry.content.status.rawValue : "see history"))")")
        return parts.joined(separator: " · ")
    }

    private static func target(_ link: ResolvedLink) -> String {
        if let slug = link.slug { return Terminal.styled("  → \(slug)", .dim) }
        if let url = link.url { return Terminal.styled("  → \(url) (not imported)", .dim) }
        return ""
    }
}
