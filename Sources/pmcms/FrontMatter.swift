import Foundation
import PMCMS
import Yams

/// The text an editor works on: YAML front matter between `---` lines, then the Markdown body.
///
/// Comment lines at the top of the front matter carry what pmcms wants to tell the user (the
/// entry, its revisions, how to abort, the last error); YAML ignores them, so the user's text
/// is never touched by them.
enum FrontMatter {
    /// The keys the front matter may hold, in the order they are written.
    static let keys: [EditableField] = [.title, .summary, .imageURL, .sourceURL, .editedAt, .related, .articles]

    /// Prefix of the lines pmcms writes and removes again: never the user's.
    static let notePrefix = "# pmcms:"
    static let errorPrefix = "# ERROR:"
    /// The comment line that carries the revision message: the person may type one there.
    static let messagePrefix = "# message:"

    /// What the front matter and body said, before it is checked against the store.
    struct Document: Equatable, Sendable {
        var scalars: [EditableField: String?] = [:]
        var related: [String]?
        var articles: [String]?
        var body: String
    }

    /// Why a saved file could not be read, with where.
    struct ParseError: Error, Equatable, CustomStringConvertible {
        let message: String
        /// The line of the file the problem is on, when the YAML parser says.
        let line: Int?
        private let detail: String?
        var description: String { message }
        init(message: String) {
            self.message = message
            line = nil
            detail = nil
        }

        init(line: Int, detail: String) {
            message = "the front matter is not valid YAML: line \(line), \(detail)"
            self.line = line
            self.detail = detail
        }

        /// The same error for a file with `lines` more lines above the problem (the editor
        /// reopens with the error on top, and its numbers count the file the person sees).
        func shifted(by lines: Int) -> ParseError {
            guard let line, let detail else { return self }
            return ParseError(line: line + lines, detail: detail)
        }
    }

    /// Writes `content` as front matter and body, with `notes` and `errors` as comments on top,
    /// then the message line when `message` is given (one line: line breaks become spaces).
    static func compose(
        content: Content, related: [String], articles: [String], notes: [String], errors: [String] = [], message: String? = nil
    ) throws -> String {
        var pairs: [(Node, Node)] = []
        func scalar(_ value: String?) -> Node {
            Node.scalar(Node.Scalar(value ?? "", .implicit, value == nil || value == "" ? .plain : .any))
        }
        pairs.append((Node(EditableField.title.rawValue), scalar(content.title)))
        pairs.append((Node(EditableField.summary.rawValue), scalar(content.summary)))
        pairs.append((Node(EditableField.imageURL.rawValue), scalar(content.imageURL)))
        pairs.append((Node(EditableField.sourceURL.rawValue), scalar(content.sourceURL)))
        pairs.append((Node(EditableField.editedAt.rawValue), scalar(content.editedAt)))
        pairs.append((Node(EditableField.related.rawValue), Node.sequence(Node.Sequence(related.map { Node($0) }, .implicit, .block))))
        pairs.append((Node(EditableField.articles.rawValue), Node.sequence(Node.Sequence(articles.map { Node($0) }, .implicit, .block))))
        let yaml = try Yams.serialize(node: Node.mapping(Node.Mapping(pairs)), width: -1, allowUnicode: true)
        var text = "---\n"
        for error in errors { text += "\(errorPrefix) \(error)\n" }
        for note in notes { text += "\(notePrefix) \(note)\n" }
        if let message { text += "\(messagePrefix) \(oneLine(message))\n" }
        text += yaml
        if !text.hasSuffix("\n") { text += "\n" }
        text += "---\n"
        text += content.body
        if !content.body.isEmpty && !content.body.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// A message as the message line shows it.
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The message typed on the message line of the front matter; nil when there is none or it is empty.
    static func message(in text: String) -> String? {
        var opened = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "---" {
                if opened { return nil }
                opened = true
            } else if trimmed.hasPrefix(messagePrefix) {
                let message = trimmed.dropFirst(messagePrefix.count).trimmingCharacters(in: .whitespaces)
                return message.isEmpty ? nil : message
            }
        }
        return nil
    }

    /// Removes the comment lines pmcms wrote (notes and errors), keeping everything else.
    static func strippingNotes(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix(notePrefix) && !$0.hasPrefix(errorPrefix) }
            .joined(separator: "\n")
    }

    /// Reads a saved file. Throws `ParseError` with a message that says what to fix.
    static func parse(_ text: String) throws -> Document {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let open = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
              lines[open].trimmingCharacters(in: .whitespaces) == "---"
        else { throw ParseError(message: "the file must start with a '---' line, then the front matter, then '---' and the body") }
        guard let close = lines[(open + 1)...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw ParseError(message: "the front matter has no closing '---' line before the body")
        }
        let yaml = lines[(open + 1)..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n")
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw describe(error, lineOffset: open + 1)
        }
        var document = Document(body: body)
        guard let node else { return document }
        guard case .mapping(let mapping) = node else {
            throw ParseError(message: "the front matter must be 'key: value' lines (keys: \(keys.map(\.rawValue).joined(separator: ", ")))")
        }
        for (keyNode, value) in mapping {
            let name = keyNode.string ?? ""
            guard let field = EditableField(rawValue: name), keys.contains(field) else {
                throw ParseError(message: "unknown key '\(name)' in the front matter (keys: \(keys.map(\.rawValue).joined(separator: ", ")))")
            }
            switch field {
            case .related, .articles:
                let refs: [String]
                switch value {
                case .sequence(let sequence):
                    refs = try sequence.map { item in
                        guard case .scalar(let scalar) = item else {
                            throw ParseError(message: "\(name): each item must be a slug or a URL")
                        }
                        return scalar.string
                    }
                case .scalar(let scalar) where scalar.string.isEmpty || value.null != nil:
                    refs = []
                default:
                    throw ParseError(message: "\(name) must be a list of slugs or URLs, one '- item' per line")
                }
                if field == .related { document.related = refs } else { document.articles = refs }
            default:
                guard case .scalar(let scalar) = value else {
                    throw ParseError(message: "\(name) must be a single value, not a list or a mapping")
                }
                let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
                document.scalars[field] = isNull ? .some(nil) : .some(scalar.string)
            }
        }
        if document.scalars[.title] == nil || document.scalars[.title] == .some(nil) {
            throw ParseError(message: "title is required")
        }
        return document
    }

    /// Yams counts lines from 1 within the YAML text, which starts `lineOffset` lines into the file.
    private static func describe(_ error: YamlError, lineOffset: Int) -> ParseError {
        func plain(_ text: String) -> ParseError { ParseError(message: "the front matter is not valid YAML: \(text)") }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ParseError(line: mark.line + lineOffset, detail: "column \(mark.column): \(problem)")
        case .reader(let problem, _, _, _):
            return plain(problem)
        case .duplicatedKeysInMapping(let duplicates, _):
            return plain("duplicated keys: \(duplicates.joined(separator: ", "))")
        default:
            return plain(String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable")
        }
    }
}
