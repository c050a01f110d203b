import ArgumentParser
import PMCMS

struct BlameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blame",
        abstract: "Show who last changed each line of an entry's body, and each field.",
        discussion: """
            Each line of the current body with the revision, author and date that last changed \
            it, then each field with the revision that last changed it.

            Blame walks the entry's line of descent, revision 1 to the latest, as git does: a \
            line keeps the revision that introduced its text until a revision changes it. A \
            revert counts as such a change: lines it brings back are attributed to the revert \
            (origin "revert", message "revert to rN"), as `git blame` shows a `git revert`. \
            Text from an import is attributed to the import revision; an upstream import kept \
            aside (see `pmcms history`) is not part of the entry's text and is never blamed.

            Examples:
              pmcms blame is-pmo-more-senior-than-project-manager
              pmcms blame 12 --json
              pmcms show 12 --rev 3             # then look at the revision it names
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EntryRef
    @OptionGroup var output: JSONFlag
    @OptionGroup var pager: PagerFlag

    func run() throws {
        let blame = try global.openStore(.read).blame(target.ref)
        Pager.start(unless: pager.noPager)
        if output.json {
            print(try JSONOutput.string(BlameJSON(blame), pretty: true))
            return
        }
        let all = blame.lines.map(\.by) + blame.fields.map(\.by)
        let revisionWidth = all.map { "r\($0.revision)".count }.max() ?? 2
        let authorWidth = min(all.map(\.author.count).max() ?? 0, 16)
        func label(_ by: Attribution) -> String {
            let text = "r\(by.revision)".padding(toLength: revisionWidth, withPad: " ", startingAt: 0)
                + "  " + HistoryText.pad(by.author, authorWidth) + "  " + Timestamp.day(by.createdAt)
                + "  " + HistoryText.pad(by.origin.rawValue, 8)
            return Terminal.styled(text, .dim)
        }
        print(Terminal.styled("blame \(blame.header.slug) at r\(blame.revision)", .bold))
        if blame.lines.isEmpty { print(Terminal.styled("(no body)", .dim)) }
        let numberWidth = String(blame.lines.count).count
        for line in blame.lines {
            let text = line.text.isEmpty ? "" : " " + line.text
            print("\(label(line.by))  \(String(line.number).leftPad(numberWidth))│\(text)")
        }
        print("")
        let fieldWidth = blame.fields.map(\.field.rawValue.count).max() ?? 0
        for field in blame.fields {
            let name = field.field.rawValue.padding(toLength: fieldWidth, withPad: " ", startingAt: 0)
            print("\(label(field.by))  \(Terminal.styled(name, .yellow))  \(DiffText.summary(field))")
        }
    }
}
