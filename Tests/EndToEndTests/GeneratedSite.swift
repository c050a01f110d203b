import Foundation
import TestSupport

/// Writes a varied scraped site for the import tests: single-question pages with related
/// questions and article cards, accordion pages, FAQPage JSON-LD pages, article pages, pages in
/// Windows-1252, pages with repeated titles (so slugs need suffixes) and links to pages that are
/// not in the site.
enum GeneratedSite {
    static let baseURL = "https://www.example.org"

    /// The relative paths written, in the order an import reads them (sorted).
    @discardableResult
    static func write(count: Int, to folder: URL, seed: UInt64) throws -> [String] {
        var random = SeededGenerator(seed: seed)
        var paths: [String] = []
        let articleCount = max(1, count / 6)
        for index in 0..<count {
            let (path, bytes): (String, [UInt8])
            switch index % 6 {
            case 5:
                let number = index / 6 % articleCount
                (path, bytes) = ("articles/article-\(number).html", Array(article(number, random: &random).utf8))
            case 4:
                (path, bytes) = ("faq/accordion-\(index).html", Array(accordion(index, random: &random).utf8))
            case 3:
                (path, bytes) = ("faq/jsonld-\(index).html", Array(jsonLD(index, random: &random).utf8))
            case 2 where index % 12 == 2:
                // Windows-1252 bytes with no declaration: the importer must fall back to it.
                (path, bytes) = ("legacy/legacy-\(index).html", latin1(question(index, count: count, articles: articleCount, random: &random)))
            default:
                (path, bytes) = ("faq/question-\(index).html", Array(question(index, count: count, articles: articleCount, random: &random).utf8))
            }
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            paths.append(path)
        }
        return paths.sorted()
    }

    static let topics = [
        "risk registers", "stakeholder maps", "Gantt charts", "PRINCE2 stages", "Scrum sprints", "Kanban boards",
        "earned value", "critical paths", "change control", "benefits realisation", "the PMO", "agile coaching",
    ]

    static func title(_ index: Int) -> String {
        // Every seventh title repeats an earlier one, so slugs need "-2", "-3" suffixes.
        let n = index % 7 == 6 ? index - 6 : index
        return "How do \(topics[n % topics.count]) help project \(n)?"
    }

    static func paragraph(_ random: inout SeededGenerator) -> String {
        let words = ["plan", "deliver", "scope", "budget", "team", "risk", "café", "naïve", "“quoted”", "R&amp;D", "5 &lt; 6", "*stars*", "_under_", "#hash", "`tick`"]
        var sentence: [String] = []
        for _ in 0..<Int.random(in: 6...30, using: &random) { sentence.append(words.randomElement(using: &random) ?? "word") }
        let markup = ["<em>emphasis</em>", "<strong>strong</strong>", "<a href=\"/faq/question-1\">a link</a>", "<code>x &lt; y</code>"]
        sentence.insert(markup.randomElement(using: &random) ?? "", at: Int.random(in: 0...sentence.count, using: &random))
        return "<p>" + sentence.joined(separator: " ") + ".</p>"
    }

    static func date(_ index: Int) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(index % 28 + 1) \(months[index % 12]) 2026"
    }

    static func head(_ title: String, canonical: String, charset: String? = "utf-8") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head>\(charset.map { "<meta charset=\"\($0)\">" } ?? "")
        <title>\(title) | PM Training</title>
        <link rel="canonical" href="\(baseURL)/\(canonical)">
        <script>window.tracker = "gtag";</script>
        </head><body>
        <header><nav><a href="/">Home</a> <a href="/faq">FAQ</a></nav></header>
        """
    }

    static let foot = """
        <footer><p>&copy; 2026 PM Training</p></footer><script src="/site.js"></script></body></html>
        """

    static func question(_ index: Int, count: Int, articles: Int, random: inout SeededGenerator) -> String {
        let title = title(index)
        var html = head(title, canonical: "faq/question-\(index)")
        html += "<main><article class=\"faq-entry\"><h1>\(title)</h1><div class=\"faq-answer\">"
        for _ in 0..<Int.random(in: 1...4, using: &random) { html += paragraph(&random) }
        if Bool.random(using: &random) { html += "<ul><li>first point</li><li>second <b>point</b></li></ul>" }
        html += "</div><p class=\"last-edited\">Last edited on: \(date(index))</p></article>"
        html += "<section class=\"related-questions\"><h2>Related questions</h2><ul>"
        for _ in 0..<Int.random(in: 2...8, using: &random) {
            // Some targets are beyond the site: links that stay unresolved.
            let target = Int.random(in: 0..<(count + 20), using: &random)
            html += "<li><a href=\"/faq/question-\(target)\">\(Self.title(target))</a></li>"
        }
        html += "</ul></section><section class=\"related-articles\"><h2>Related articles</h2><div class=\"card-grid\">"
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let number = Int.random(in: 0..<articles, using: &random)
            html += """
                <div class="card"><a class="card-image" href="\(baseURL)/articles/article-\(number)"><img src="/images/a\(number).jpg" alt="image"></a>
                <div class="card-body"><h3 class="card-title"><a href="\(baseURL)/articles/article-\(number)">Article number \(number)</a></h3>
                <p class="card-summary">Summary of article \(number).</p></div></div>
                """
        }
        return html + "</div></section></main>" + foot
    }

    static func accordion(_ index: Int, random: inout SeededGenerator) -> String {
        var html = head("Accordion \(index)", canonical: "faq/accordion-\(index)")
        html += "<main><h1>Accordion questions \(index)</h1><div class=\"accordion\">"
        for part in 0..<Int.random(in: 2...4, using: &random) {
            html += "<details id=\"q\(part)\"><summary>Accordion \(index) question \(part)?</summary>\(paragraph(&random))</details>"
        }
        return html + "</div><p class=\"updated\">Updated: \(date(index + 3))</p></main>" + foot
    }

    static func jsonLD(_ index: Int, random: inout SeededGenerator) -> String {
        var html = head("JSON-LD \(index)", canonical: "faq/jsonld-\(index)")
        var items: [String] = []
        for part in 0..<Int.random(in: 1...3, using: &random) {
            items.append("""
                {"@type": "Question", "name": "Structured \(index) question \(part)?",
                 "acceptedAnswer": {"@type": "Answer", "text": "<p>Answer \(part) of page \(index), with <b>bold</b> text.</p>"}}
                """)
        }
        html += """
            <script type="application/ld+json">{"@context": "https://schema.org", "@type": "FAQPage",
            "dateModified": "2026-05-\(String(format: "%02d", index % 28 + 1))", "mainEntity": [\(items.joined(separator: ","))]}</script>
            <main><h1>Structured questions \(index)</h1></main>
            """
        return html + foot
    }

    static func article(_ number: Int, random: inout SeededGenerator) -> String {
        var html = head("Article number \(number)", canonical: "articles/article-\(number)")
        html += "<main><article class=\"article\"><h1>Article number \(number)</h1>"
        for _ in 0..<Int.random(in: 2...5, using: &random) { html += paragraph(&random) }
        html += "<h2>Steps</h2><ol><li>one</li><li>two</li></ol>"
        return html + "</article></main>" + foot
    }

    /// The page in Windows-1252 bytes (its accented letters become single bytes), with the
    /// charset declaration removed.
    static func latin1(_ html: String) -> [UInt8] {
        let undeclared = html.replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "")
        return Array(undeclared.data(using: .windowsCP1252, allowLossyConversion: true) ?? Data(undeclared.utf8))
    }
}
