import Foundation
import PMCMS

/// `export faq-jsonld`: a schema.org `FAQPage` of the published questions, ready to be put in a
/// `<script type="application/ld+json">` (the JSON is HTML-safe, see `JSONText`).
struct FAQJSONLDExportWriter: EntryWriter {
    var stream: JSONObjectStream

    mutating func begin() throws {
        try stream.begin()
        try stream.member("@context", "https://schema.org")
        try stream.member("@type", "FAQPage")
        try stream.beginArray("mainEntity")
    }

    mutating func write(_ entry: StreamedEntry) throws {
        let c = entry.view.content
        // A Question without an answer is invalid structured data: leave it out.
        guard !c.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        try stream.element(Question(name: c.title, dateModified: c.editedAt, answer: Markdown.html(c.body)))
    }

    mutating func end() throws {
        try stream.endArray()
        try stream.end()
    }

    struct Question: Encodable {
        let name: String
        let dateModified: String?
        let answer: String

        enum CodingKeys: String, CodingKey {
            case type = "@type"
            case name, dateModified, acceptedAnswer
        }

        struct Answer: Encodable {
            let text: String
            enum CodingKeys: String, CodingKey {
                case type = "@type"
                case text
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode("Answer", forKey: .type)
                try container.encode(text, forKey: .text)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("Question", forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(dateModified, forKey: .dateModified)
            try container.encode(Answer(text: answer), forKey: .acceptedAnswer)
        }
    }
}
