import ArgumentParser
import PMCMS

struct RevertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Make a new revision whose content equals an earlier one.",
        discussion: """
            History is never rewritten: the revert is one more revision (origin "revert"), and \
            it can itself be reverted. Every field, link and the body come back as they were in \
            revision N. The status stays the entry's current one, except that reverting an entry \
            in review, approved or published makes a draft, so that the change is reviewed; the \
            published revision stays live until then. --publish makes the revert live at once.

            N may also be live or upstream: `revert REF upstream` takes the import that was kept \
            aside when an editor had changed the entry. A revert to content equal to the current \
            one makes no revision.

            Examples:
              pmcms revert 12 1 -m "back to the imported answer"
              pmcms revert 12 live --publish         # drop the draft's changes
              pmcms revert 12 upstream               # take the site's version
              pmcms revert 12 3 --publish --expect-rev 7
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EntryRef
    @Argument(help: "The revision to bring back (a number, live or upstream).") var revision: String
    @Option(name: .shortAndLong, help: "The revision message (default: \"revert to rN\").") var message: String?
    @Flag(help: "Publish the revert at once instead of making a draft.") var publish = false
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
    @OptionGroup var output: JSONFlag

    func validate() throws {
        guard let name = RevisionName(parsing: revision) else {
            throw ValidationError("'\(revision)' is not a revision: give \(RevisionName.accepted)")
        }
        if name == .latest { throw ValidationError("reverting to latest changes nothing: give an earlier revision (see `pmcms history \(target.ref)`)") }
        if let expectRev, expectRev < 1 { throw ValidationError("--expect-rev must be at least 1") }
    }

    func run() throws {
        let store = try global.openStore(.write)
        guard let name = RevisionName(parsing: revision) else { throw CLIError.usage("'\(revision)' is not a revision") }
        let number = try RevisionNames.reporting { try store.revisionNumber(target.ref, name) }
        let result = try store.revert(
            target.ref, to: number, author: global.authorName, message: message, publish: publish, expectRevision: expectRev)
        if output.json {
            print(try JSONOutput.string(try store.revisions(String(result.header.id)).last, pretty: true))
            return
        }
        guard let appended = result.revision else {
            print("\(result.header.slug): already equal to r\(number); no revision made")
            return
        }
        var line = "\(result.header.slug): r\(appended) reverts to r\(number)"
        if let live = result.header.live, live != appended {
            line += " (draft; live stays r\(live))"
        } else if result.header.live == appended {
            line += " (published)"
        }
        print(line)
    }
}
