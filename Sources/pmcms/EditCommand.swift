import ArgumentParser
import Foundation
import PMCMS

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change an entry's fields or body as one new revision.",
        discussion: """
            Sets fields with --set and the body with --body-file. A change that changes nothing \
            makes no revision. Changing the title, body or summary moves edited_at to now. \
            Editing a published entry makes a draft revision; the published one stays live until \
            the draft is published.

            --expect-rev N refuses the edit (exit 3) when the entry is no longer at revision N, \
            so that two people never overwrite each other.

            Examples:
              printf 'New answer.' | pmcms edit 1 --body-file - -m 'reword the answer'
              pmcms edit is-pmo-more-senior-than-project-manager --set title='Is a PMO senior to a PM?' --expect-rev 4
              pmcms edit 7 --set related=am-i-qualified-to-be-a-project-manager,how-to-become-a-project-manager
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The entry's id or slug.") var ref: String
    @OptionGroup var fields: ContentOptions
    @Option(name: .shortAndLong, help: "The revision message.") var message: String?
    @Option(name: .customLong("expect-rev"), help: "Fail with exit 3 unless the entry is still at this revision.") var expectRev: Int?
    @OptionGroup var output: JSONFlag

    func validate() throws {
        if fields.isEmpty {
            throw ValidationError("nothing to change: give --set FIELD=VALUE or --body-file FILE")
        }
    }

    func run() throws {
        let store = try global.openStore()
        let edits = try fields.resolve(store: store)
        let result = try store.edit(ref, author: global.authorName, message: message, expectRevision: expectRev) { content in
            try edits.apply(to: &content)
        }
        edits.warnings.forEach { Terminal.warn("pmcms: warning: \($0)") }
        if output.json {
            print(try JSONOutput.string(try store.entry(String(result.header.id)), pretty: true))
        } else if let revision = result.revision {
            var line = "\(result.header.slug): r\(revision)"
            if let live = result.header.live, live != revision { line += " (draft; live stays r\(live))" }
            print(line)
        } else {
            print("\(result.header.slug): no change")
        }
    }
}
