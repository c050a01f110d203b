import ArgumentParser
import Foundation
import PMCMS

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create an entry as a draft.",
        discussion: """
            Creates a question or an article with its first revision, status draft. Give the \
            content with --title, --set and --body-file; on a terminal without --title (or with \
            --edit) your editor opens on a template, as for `pmcms edit`. The new entry's slug \
            is printed.

            Examples:
              printf 'A PMO oversees many projects.' | pmcms new --kind question --title 'What is a PMO?' --body-file -
              pmcms new --kind article --title 'Managing small projects' --set summary='Scaling practices down.'
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "question or article.") var kind: Kind
    @Option(help: "The title (for a question: the question).") var title: String?
    @OptionGroup var fields: ContentOptions
    @Option(name: .shortAndLong, help: "The revision message.") var message: String?
    @Flag(help: "Write the entry in your editor ($VISUAL, else $EDITOR, else vi).") var edit = false
    @OptionGroup var output: JSONFlag

    var titled: Bool { title != nil || fields.assignments.contains { $0.hasPrefix("title=") } }
    var usesEditor: Bool { edit || (!titled && fields.isEmpty && Terminal.stdinIsTerminal) }

    func validate() throws {
        if !titled && !usesEditor {
            throw ValidationError("give the entry a title: --title 'Is PMO more senior than project manager?' (or --edit to write it in your editor)")
        }
        if edit && !fields.isEmpty { throw ValidationError("--edit opens the editor: give it without --set or --body-file") }
    }

    func run() throws {
        let store = try global.openStore(.create)
        var content = Content(status: .draft, title: title ?? "")
        if usesEditor {
            guard let written = try EditorSession(store: store, author: global.authorName).compose(kind: kind, title: title) else { return }
            content = written
        }
        let edits = try fields.resolve(store: store)
        try edits.apply(to: &content)
        if content.editedAt == nil { content.editedAt = Timestamp.day(Timestamp.now()) }
        edits.warnings.forEach { Terminal.warn("pmcms: warning: \($0)") }
        let header = try store.createEntry(kind: kind, content: content, author: global.authorName, message: message ?? "created")
        if output.json {
            print(try JSONOutput.string(try store.entry(String(header.id)), pretty: true))
        } else {
            print("created \(header.kind.rawValue) \(header.id) \(header.slug) (r1, draft)")
        }
    }
}
