import ArgumentParser
import Foundation
import PMCMS

/// `--set FIELD=VALUE` and `--body-file F`, shared by `new` and `edit`.
struct ContentOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a field; repeatable. Fields: \(EditableField.allNames). related/articles take comma-separated slugs or URLs; an empty value clears an optional field.",
        valueName: "field=value"))
    var assignments: [String] = []

    @Option(name: .customLong("body-file"), help: ArgumentHelp("Read the Markdown body from a file, or - for standard input.", valueName: "file"))
    var bodyFile: String?

    var isEmpty: Bool { assignments.isEmpty && bodyFile == nil }

    func validate() throws {
        if bodyFile != nil, assignments.contains(where: { (try? EditableField.parseAssignment($0))?.0 == .body }) {
            throw ValidationError("give the body with --set body=… or --body-file, not both")
        }
        for assignment in assignments {
            do {
                let (field, value) = try EditableField.parseAssignment(assignment)
                // A bad value is a usage error like an unknown field (exit 2), found before
                // the store is opened.
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                switch field {
                case .editedAt where !trimmed.isEmpty && !Timestamp.isValid(trimmed):
                    throw ValidationError("--set edited_at: '\(value)' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, or an offset: 2026-12-01T01:00:00+05:00)")
                case .imageURL, .sourceURL:
                    if !trimmed.isEmpty, let reason = URLCheck.problem(trimmed) { throw ValidationError("--set \(field.rawValue): \(reason)") }
                case .title where trimmed.isEmpty:
                    throw ValidationError("--set title: a title cannot be empty")
                default:
                    break
                }
            } catch let error as StoreError {
                throw ValidationError(ErrorText.message(error))
            }
        }
    }

    /// Reads the body file and resolves link refs, outside any transaction: the store's
    /// write closure must not read through the store again.
    func resolve(store: ContentStore) throws -> ResolvedEdits {
        var edits = ResolvedEdits()
        for assignment in assignments {
            let (field, value) = try EditableField.parseAssignment(assignment)
            switch field {
            case .related, .articles:
                let (links, warnings) = try store.linkRefs(value.split(separator: ",").map(String.init))
                edits.warnings += warnings
                edits.links.append((field, links))
            default:
                edits.scalars.append((field, value))
            }
        }
        if let bodyFile { edits.body = try Self.readBody(bodyFile) }
        return edits
    }

    /// Reads the body as `git commit -F` reads a message: a file, a pipe (`<(...)`), or `-`
    /// for standard input, up to the import's default size limit.
    static func readBody(_ path: String) throws -> String {
        let bytes: [UInt8]
        do {
            bytes = try BoundedInput.read(path: path == "-" ? nil : path, limit: BoundedInput.defaultLimit)
        } catch let error as InputError {
            throw CLIError(message: "--body-file: \(error.description)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError(message: "--body-file: \(path == "-" ? "(standard input)" : path) is not UTF-8 text")
        }
        return text
    }
}

/// Field edits ready to apply to a revision's content.
struct ResolvedEdits {
    var scalars: [(EditableField, String)] = []
    var links: [(EditableField, [LinkRef])] = []
    var body: String?
    var warnings: [String] = []

    func apply(to content: inout Content) throws {
        for (field, value) in scalars { try content.set(field, to: value) }
        for (field, links) in links {
            if field == .related { content.related = links } else { content.articles = links }
        }
        if let body { content.body = body }
    }
}
