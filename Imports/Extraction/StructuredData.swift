import Foundation

/// What schema.org JSON-LD on a page says, reduced to the fields the extractor uses.
struct StructuredData {
    /// A `Question` with its accepted (else first suggested) answer, as HTML.
    struct Question {
        var name: String
        var answerHTML: String
        var id: String?
        var dateModified: String?
    }

    /// The page's `Article`-like (else `WebPage`) object.
    struct Article {
        var headline: String?
        var description: String?
        var image: String?
        var dateModified: String?
        var datePublished: String?
        var url: String?
    }

    var questions: [Question] = []
    var faqDateModified: String?
    var article: Article?
    /// Whether the page declares itself an article (`Article`, `BlogPosting`…), not just a `WebPage`.
    var declaresArticle = false

    private static let articleTypes: Set<String> = [
        "article", "newsarticle", "blogposting", "techarticle", "scholarlyarticle", "report", "reportagenewsarticle",
        "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "livebloggosting", "socialmediaposting",
        "backgroundnewsarticle", "advertisercontentarticle", "satiricalarticle", "medicalscholarlyarticle",
    ]
    private static let pageTypes: Set<String> = ["webpage", "itempage", "aboutpage", "medicalwebpage", "collectionpage", "qapage", "faqpage"]
    /// Nested objects deeper than this are ignored: real data is shallow, hostile data need not be walked.
    private static let maxDepth = 32

    /// Reads every `<script type="application/ld+json">` of the document; broken JSON is repaired
    /// where the damage is common (raw newlines in strings, trailing commas, HTML comments) and
    /// skipped otherwise.
    init(document: HTMLDocument) {
        var roots: [Any] = []
        for script in document.nodes("//script[@type]") {
            guard (script.attribute("type") ?? "").lowercased().contains("ld+json") else { continue }
            let raw = TextContent.rawText(ofScript: script)
            if let value = Self.parseJSON(raw) { roots.append(value) }
        }
        var articleCandidate: Article?
        var pageCandidate: Article?
        // The same question twice (one FAQPage given by two plugins) is one question; questions
        // that share a name but not an answer are all kept (PageReader gives them distinct fragments).
        var seenQuestions = Set<[String]>()
        let all = Self.objects(in: roots)
        // Objects by `@id`, for references such as `"image": {"@id": "…#primaryimage"}`.
        var byID: [String: [String: Any]] = [:]
        for object in all where object.count > 1 {
            if let id = object["@id"] as? String, byID[id] == nil { byID[id] = object }
        }
        for object in all {
            let types = Self.types(of: object)
            if types.contains("faqpage"), faqDateModified == nil {
                faqDateModified = Self.string(object["dateModified"]) ?? Self.string(object["datePublished"])
            }
            if types.contains("question"), let question = Self.question(from: object),
               seenQuestions.insert([question.name, question.answerHTML]).inserted {
                questions.append(question)
            }
            if articleCandidate == nil, !types.isDisjoint(with: Self.articleTypes) {
                articleCandidate = Self.article(from: object, byID: byID)
            } else if pageCandidate == nil, !types.isDisjoint(with: Self.pageTypes) {
                pageCandidate = Self.article(from: object, byID: byID)
            }
        }
        declaresArticle = articleCandidate != nil
        article = articleCandidate ?? pageCandidate
        if var chosen = article, let page = pageCandidate {
            // Sites often put the date or image on the WebPage and the headline on the Article.
            chosen.dateModified = chosen.dateModified ?? page.dateModified
            chosen.datePublished = chosen.datePublished ?? page.datePublished
            chosen.image = chosen.image ?? page.image
            chosen.description = chosen.description ?? page.description
            article = chosen
        }
    }

    // MARK: Parsing

    static func parseJSON(_ raw: String) -> Any? {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        for wrapper in ["<!--", "-->", "<![CDATA[", "]]>", "//<![CDATA[", "//]]>"] {
            text = text.replacingOccurrences(of: wrapper, with: "")
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text.removeLast() }
        guard !text.isEmpty else { return nil }
        if let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) { return value }
        return try? JSONSerialization.jsonObject(with: Data(repair(replacingLoneSurrogates(text)).utf8), options: [.fragmentsAllowed])
    }

    /// Replaces `\uD800`…`\uDFFF` escapes that are not a high-low pair with `\uFFFD`: one such
    /// escape makes the whole JSON invalid, and with it every question of the page.
    static func replacingLoneSurrogates(_ text: String) -> String {
        guard text.contains("\\u") else { return text }
        let scalars = Array(text.unicodeScalars)
        func escape(at index: Int) -> UInt32? {
            guard index + 6 <= scalars.count, scalars[index] == "\\", scalars[index + 1] == "u" else { return nil }
            let digits = String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 6)]))
            return UInt32(digits, radix: 16)
        }
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "\\", index + 1 < scalars.count else {
                out.append(scalars[index])
                index += 1
                continue
            }
            if let value = escape(at: index), (0xD800...0xDFFF).contains(value) {
                if value <= 0xDBFF, let low = escape(at: index + 6), (0xDC00...0xDFFF).contains(low) {
                    out.append(contentsOf: scalars[index..<(index + 12)])
                    index += 12
                } else {
                    out.append(contentsOf: "\\ufffd".unicodeScalars)
                    index += 6
                }
                continue
            }
            // Any other escape is copied whole, so `\\u…` (an escaped backslash) stays text.
            out.append(contentsOf: scalars[index...(index + 1)])
            index += 2
        }
        return String(out)
    }

    /// Escapes control characters inside strings and drops trailing commas: the two mistakes
    /// hand-written and template-generated JSON-LD makes most.
    static func repair(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var inString = false
        var escaped = false
        var pendingComma = false
        for scalar in text.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                    out.unicodeScalars.append(scalar)
                } else if scalar == "\\" {
                    escaped = true
                    out.unicodeScalars.append(scalar)
                } else if scalar == "\"" {
                    inString = false
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x20 {
                    out += scalar == "\n" ? "\\n" : scalar == "\t" ? "\\t" : " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
                continue
            }
            if scalar == "," {
                if pendingComma { continue }
                pendingComma = true
                continue
            }
            if Whitespace.isSpace(scalar) {
                out.unicodeScalars.append(scalar)
                continue
            }
            if pendingComma {
                if scalar != "}" && scalar != "]" { out += "," }
                pendingComma = false
            }
            if scalar == "\"" { inString = true }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Every JSON object reachable from `roots`, in document order (depth first), through
    /// arrays, `@graph`, `mainEntity`, `subjectOf` and any other property.
    static func objects(in roots: [Any]) -> [[String: Any]] {
        var result: [[String: Any]] = []
        var stack: [(Any, Int)] = roots.reversed().map { ($0, 0) }
        while let (value, depth) = stack.popLast(), result.count < 10_000 {
            guard depth < maxDepth else { continue }
            if let array = value as? [Any] {
                stack += array.reversed().map { ($0, depth + 1) }
            } else if let object = value as? [String: Any] {
                result.append(object)
                // Keys in a stable order, the ones that hold the page's content first.
                let priority = ["@graph", "mainEntity", "subjectOf", "hasPart", "itemListElement"]
                let keys = priority.filter { object[$0] != nil } + object.keys.sorted().filter { !priority.contains($0) }
                for key in keys.reversed() {
                    if let child = object[key], child is [Any] || child is [String: Any] { stack.append((child, depth + 1)) }
                }
            }
        }
        return result
    }

    static func types(of object: [String: Any]) -> Set<String> {
        let raw: [String]
        if let type = object["@type"] as? String {
            raw = [type]
        } else if let types = object["@type"] as? [Any] {
            raw = types.compactMap { $0 as? String }
        } else {
            raw = []
        }
        return Set(raw.map { type in
            let lowered = type.lowercased()
            let name = lowered.split(whereSeparator: { $0 == "/" || $0 == ":" || $0 == "#" }).last.map(String.init) ?? lowered
            return name
        })
    }

    private static func question(from object: [String: Any]) -> Question? {
        guard let name = string(object["name"]) ?? string(object["text"]), !name.isEmpty else { return nil }
        let answer = first(object["acceptedAnswer"]) ?? first(object["suggestedAnswer"])
        guard let answerObject = answer as? [String: Any], let text = string(answerObject["text"]) ?? string(answerObject["articleBody"]) else {
            if let text = string(answer) { return Question(name: name, answerHTML: text, id: identifier(object), dateModified: string(object["dateModified"])) }
            return nil
        }
        return Question(name: name, answerHTML: text, id: identifier(object),
                        dateModified: string(object["dateModified"]) ?? string(answerObject["dateModified"]))
    }

    private static func article(from object: [String: Any], byID: [String: [String: Any]]) -> Article {
        Article(
            headline: string(object["headline"]) ?? string(object["name"]),
            description: string(object["description"]) ?? string(object["abstract"]),
            image: image(object["image"], byID: byID) ?? image(object["thumbnailUrl"], byID: byID)
                ?? image(object["primaryImageOfPage"], byID: byID),
            dateModified: string(object["dateModified"]),
            datePublished: string(object["datePublished"]) ?? string(object["dateCreated"]),
            url: string(object["url"]) ?? string((object["mainEntityOfPage"] as? [String: Any])?["@id"]))
    }

    /// The `@id` or `url` of a question, which may carry the page fragment it lives at.
    private static func identifier(_ object: [String: Any]) -> String? {
        string(object["@id"]) ?? string(object["url"])
    }

    private static func first(_ value: Any?) -> Any? {
        if let array = value as? [Any] { return array.first }
        return value
    }

    /// A text value: a string, the first string of an array, or an object's `@value`/`name`.
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case let array as [Any]:
            return array.lazy.compactMap { string($0) }.first
        case let object as [String: Any]:
            return string(object["@value"]) ?? string(object["name"])
        default:
            return nil
        }
    }

    /// An image address: a string, an `ImageObject`'s `url` or `contentUrl`, or the first of an
    /// array. An object's `@id` names the object (`…#primaryimage`), not the picture: a reference
    /// by `@id` alone is followed to the object it names in `byID`, and is otherwise no image.
    static func image(_ value: Any?, byID: [String: [String: Any]] = [:], depth: Int = 0) -> String? {
        guard depth < 4 else { return nil }
        switch value {
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case let array as [Any]:
            return array.lazy.compactMap { image($0, byID: byID, depth: depth + 1) }.first
        case let object as [String: Any]:
            if let found = image(object["url"], byID: byID, depth: depth + 1) ?? image(object["contentUrl"], byID: byID, depth: depth + 1) {
                return found
            }
            guard let id = object["@id"] as? String, let target = byID[id] else { return nil }
            return image(target, byID: byID, depth: depth + 1)
        default:
            return nil
        }
    }
}

extension TextContent {
    /// The raw text of a `<script>` (libxml2 keeps it as one or more text/CDATA children).
    static func rawText(ofScript script: HTMLNode) -> String {
        script.children.filter(\.isText).map(\.textContent).joined()
    }
}
