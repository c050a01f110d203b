/// Edit and publication dates, from structured data down to the visible text.
extension PageReader {
    /// A date and the element it was read from on the page, if visible.
    struct FoundDate {
        var value: String?
        var node: HTMLNode?
    }

    private static let modifiedKeys = ["article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified", "dc.date.modified"]
    private static let publishedKeys = ["article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued",
                                        "dcterms.created", "sailthru.date", "parsely-pub-date", "og:article:published_time"]

    /// A question's edit date: structured data and meta first, then the visible "Last edited"
    /// line, then `<time datetime>`, then publication dates.
    func questionDate() -> FoundDate {
        let visible = visibleDate(DateText.editDate)
        let explicit = [structured.faqDateModified, structured.article?.dateModified, meta.first(Self.modifiedKeys)].compactMap { $0 }
            .lazy.compactMap(DateText.machine).first
        let value = explicit ?? visible?.value ?? firstTimeElement()
            ?? [structured.article?.datePublished, meta.first(Self.publishedKeys)].compactMap { $0 }.lazy.compactMap(DateText.machine).first
            ?? visibleDate(DateText.publishDate)?.value
        return FoundDate(value: value, node: visible?.node)
    }

    /// An article's date: modified before published, explicit before visible.
    func articleDate(content: [HTMLNode]) -> String? {
        let explicit = [structured.article?.dateModified, meta.first(Self.modifiedKeys), microdataDate("dateModified"),
                        structured.article?.datePublished, meta.first(Self.publishedKeys), microdataDate("datePublished")]
        if let date = explicit.compactMap({ $0 }).lazy.compactMap(DateText.machine).first { return date }
        if let date = visibleDate(DateText.editDate)?.value ?? visibleDate(DateText.publishDate)?.value { return date }
        for node in content {
            if let time = node.descendants(named: ["time"], skip: ElementPolicy.isNeverContent).first,
               let date = time.attribute("datetime").flatMap(DateText.machine) {
                return date
            }
        }
        return firstTimeElement()
    }

    private func microdataDate(_ property: String) -> String? {
        for node in document.nodes("//*[@itemprop='\(property)']") {
            if let value = node.attribute("content") ?? node.attribute("datetime") { return value }
            let text = self.text(node)
            if !text.isEmpty { return text }
        }
        return nil
    }

    /// The first `<time datetime>` outside site chrome.
    func firstTimeElement() -> String? {
        guard let body else { return nil }
        for time in body.descendants(named: ["time"], skip: { ElementPolicy.isSkippedInContent($0) }) {
            if let date = (time.attribute("datetime") ?? time.attribute("content")).flatMap(DateText.machine) { return date }
        }
        return nil
    }

    /// The first short line of visible text where `parse` finds a date ("Last edited on: 09 Jun
    /// 2026"), with the element holding that line.
    func visibleDate(_ parse: (String, Bool) -> String?) -> FoundDate? {
        guard let body else { return nil }
        var found: FoundDate?
        body.walkDescendants { node in
            if found != nil { return false }
            if node.isElement { return !ElementPolicy.isNeverContent(node) && node.name != "nav" }
            guard node.isText else { return false }
            let own = node.textContent
            guard own.count < 300 else { return false }
            let lowered = own.lowercased()
            guard ["edited", "updated", "modified", "reviewed", "revised", "published", "posted"].contains(where: lowered.contains) else { return false }
            // The date is often in a child element (`Last edited on: <time>…</time>`), so read the whole line.
            var line = node.parent ?? node
            var climbs = 0
            while climbs < 4, !ElementPolicy.blocks.contains(line.name), let up = line.parent, TextContent.of(up).count < 200 {
                line = up
                climbs += 1
            }
            let lineText = TextContent.of(line)
            guard lineText.count < 300 else { return false }
            if let time = line.descendants(named: ["time"]).first, let datetime = time.attribute("datetime"),
               parse(lineText, monthFirst) != nil || parse(lineText + " " + datetime, monthFirst) != nil,
               let date = DateText.machine(datetime) {
                found = FoundDate(value: date, node: line)
            } else if let date = parse(lineText, monthFirst) {
                found = FoundDate(value: date, node: line)
            }
            return false
        }
        return found
    }
}

extension MetaTags {
    func first(_ keys: [String]) -> String? {
        for key in keys { if let value = first(key) { return value } }
        return nil
    }
}
