import ArgumentParser
import Foundation
import PMCMS

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit an entry in your editor, or with flags, as one new revision.",
        discussion: """
            Without flags, opens $VISUAL, else $EDITOR, else vi, on the entry as YAML front \
            matter (title, summary, image_url, source_url, edited_at, related, articles) and the \
            Markdown body. On save the text is checked; on an error the editor reopens with the \
            error on top and your text intact. Saving the file unchanged, or emptied, aborts. If \
            the editor fails, or the entry changed while you were editing (exit 3), your text is \
            kept in a recovery file whose path is printed; resume with --recover FILE.

            With flags, sets fields with --set and the body with --body-file. A change that changes nothing \
            makes no revision. Changing the title, body or summary moves edited_at to now. \
            Editing a published entry makes a draft revision; the published one stays live until \
            the draft is published.

            --expect-rev N refuses the edit (exit 3) when the entry is no longer at revision N, \
            so that two people never overwrite each other.

            Examples:
              pmcms edit is-pmo-more-senior-than-project-manager
              EDITOR="code --wait" pmcms edit 7
              pmcms edit 7 --recover .pmcms-recovery/some-entry-20261129T100500Z.md
              printf 'New answer.' | pmcms edit 1 --body-file - -m 'reword the answer'
              pmcms edit is-pmo-more-senior-than-project-manager --set title='Is a PMO senior to a PM?' --expect-rev 4
              pmcms edit 7 --set related=am-i-qualified-to-be-a-project-manager,how-to-become-a-project-manager
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: EntryRef
    @OptionGroup var fields: ContentOptions
    @Option(name: .shortAndLong, help: "The revision message.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
    @Option(help: ArgumentHelp("Resume an aborted edit from the recovery file it printed.", valueName: "file")) var recover: String?
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if recover != nil && !fields.isEmpty {
            throw ValidationError("--recover opens the editor: give it without --set or --body-file")
        }
        if fields.isEmpty && output.json {
            throw ValidationError("--json goes with --set or --body-file, not with the editor")
        }
    }

    func run() throws {
        let store = try global.openStore(.write)
        if fields.isEmpty {
            let session = EditorSession(store: store, author: global.authorName)
            try session.edit(ref: target.ref, message: message, recoverFile: recover)
            return
        }
        let edits = try fields.resolve(store: store)
        var before: Status?
        var schedule = Schedule()
        let result = try store.edit(target.ref, author: global.authorName, message: message, expectRevision: expectRev) { content in
            before = content.status
            schedule = content.schedule
            try edits.apply(to: &content)
        }
        edits.warnings.forEach { Terminal.warn("pmcms: warning: \($0)") }
        if result.revision != nil, let note = RevisionSummary.scheduleNote(slug: result.header.slug, before: schedule) { Terminal.warn(note) }
        if output.json {
            print(try JSONOutput.string(try store.entry(String(result.header.id)), pretty: true))
        } else if let revision = result.revision {
            print(RevisionSummary.line(result, revision: revision, before: before))
        } else {
            print("\(result.header.slug): no change")
        }
    }
}
