import ArgumentParser
import PMCMS

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two revisions of an entry: every field, links, and the body.",
        discussion: """
            With no revisions, compares the latest revision with its parent (the one it was \
            made from). With one, compares that revision with the latest. With two, compares A with B in the order \
            given, so `diff REF 5 3` shows what going back from 5 to 3 changes.

            A revision is a number (3 or r3), live (what the site shows), latest (the current \
            revision) or upstream (the newest import kept aside because an editor had changed \
            the entry).

            Fields show as `field: old → new`; related questions and articles as links added, \
            removed, moved or retitled; the body as a unified diff with three lines of context. \
            --word marks changed words inside their lines instead: [-old-]{+new+}. Colour is \
            used on a terminal only, never with NO_COLOR set.

            Examples:
              pmcms diff is-pmo-more-senior-than-project-manager
              pmcms diff 12 1 4
              pmcms diff 12 live latest --word
              pmcms diff 12 upstream          # the import kept aside vs latest
              pmcms diff 12 1 upstream        # what the site changed since r1
              pmcms diff 12 2 3 --stat --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EntryRef
    @Argument(help: "The old revision (default: the one before the latest).") var a: String?
    @Argument(help: "The new revision (default: latest).") var b: String?
    @Flag(help: "Show changed words inside their lines instead of whole lines.") var word = false
    @Flag(help: "Show only a summary of what changed.") var stat = false
    @OptionGroup var output: JSONFlag
    @OptionGroup var pager: PagerFlag

    func validate() throws {
        for name in [a, b].compactMap({ $0 }) where RevisionName(parsing: name) == nil {
            throw ValidationError("'\(name)' is not a revision: give \(RevisionName.accepted)")
        }
        if word && stat { throw ValidationError("give --word or --stat, not both") }
    }

    func run() throws {
        let store = try global.openStore(.read)
        let pair = try RevisionNames.reporting {
            try store.revisionPair(target.ref, from: a.flatMap(RevisionName.init(parsing:)), to: b.flatMap(RevisionName.init(parsing:)))
        }
        let diff = EntryDiff(
            entryID: pair.header.id, slug: pair.header.slug, from: pair.old, to: pair.new,
            old: pair.oldContent, new: pair.newContent)
        Pager.start(unless: pager.noPager)
        if output.json {
            print(try JSONOutput.string(DiffJSON(diff, words: word, statOnly: stat), pretty: true))
        } else if stat {
            print(DiffText.stat(diff, style: Self.style))
        } else {
            print(DiffText.render(diff, words: word, named: a != nil, style: Self.style))
        }
    }

    static let style: TextStyler = { text, role in
        switch role {
        case .heading: Terminal.styled(text, .bold)
        case .hunk: Terminal.styled(text, .cyan)
        case .added: Terminal.styled(text, .green)
        case .removed: Terminal.styled(text, .red)
        case .field: Terminal.styled(text, .yellow)
        case .dim: Terminal.styled(text, .dim)
        }
    }
}

/// Revision names on the command line.
enum RevisionNames {
    /// Runs `body`, reporting a name that names no revision (`live` of an unpublished entry,
    /// `upstream` with none) as a one-line error like the store's own.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RevisionNameError {
            throw CLIError(message: ErrorText.message(error))
        }
    }
}
