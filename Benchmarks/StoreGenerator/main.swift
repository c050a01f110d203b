// pmcms-bench-store: builds a large store for the benchmark through the PMCMS library's own
// import path (`ContentStore.importPages`), so every revision is written by the store's rules
// (revision numbering, hashes, links, search index, triggers), only without parsing HTML:
// parsing is measured separately on real files, and 100,000 pages would be 2 GB of HTML.
//
//     pmcms-bench-store DB ENTRIES [REVISIONS]
//
// Entries: a pool of 400 articles (what the cards of the generated pages point at), and
// ENTRIES - 400 questions shaped like the seed's: a 2-4 paragraph answer, an edited_at date,
// 63 related questions and 12 article cards. Each question gets REVISIONS revisions (default 5):
// the first import, then re-imports of a changed page (a new paragraph and a new date), which
// the store records as import revisions because nobody edited the entry in between. Writes are
// batched, 1,000 pages per transaction, as `pmcms import` does.
import Dispatch
import Foundation
import Synchronization
import PMCMS
import TestSupport

let arguments = CommandLine.arguments
guard arguments.count >= 3, let total = Int(arguments[2]), total > 400 else {
    FileHandle.standardError.write(Data("usage: pmcms-bench-store DB ENTRIES(>400) [REVISIONS]\n".utf8))
    exit(2)
}
let path = arguments[1]
let revisions = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let workload = Workload(questionCount: total - Workload.articleCount)

/// `below` draws from TestSupport's SplitMix64 generator as this tool always has (the value
/// modulo `n`), so that two runs, and runs before and after it moved there, build the same store.
extension SeededGenerator {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// What the store holds, entry by entry; pure, so batches can be built on any thread.
struct Workload: Sendable {
    static let articleCount = 400
    static let site = "https://www.example.org"
    static let words = """
        project manager plan scope budget schedule risk stakeholder team delivery portfolio programme \
        governance agile scrum sprint backlog milestone benefit quality change control resource \
        organisation sponsor board report lesson estimate dependency vendor contract tolerance stage \
        exception baseline forecast value outcome capability leadership communication negotiation \
        certification experience career training framework methodology approach practice
        """.split(separator: " ").map(String.init)

    let questionCount: Int

    func sentence(_ rng: inout SeededGenerator) -> String {
        let words = Self.words
        let count = 10 + rng.below(13)
        let text = (0..<count).map { _ in words[rng.below(words.count)] }.joined(separator: " ")
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    func paragraph(_ rng: inout SeededGenerator) -> String {
        (0..<(2 + rng.below(3))).map { _ in sentence(&rng) }.joined(separator: " ")
    }

    func questionTitle(_ i: Int) -> String {
        let words = Self.words
        return "Question \(i + 1): how does a \(words[i % words.count]) work with a \(words[(i / words.count) % words.count])?"
    }
    func questionURL(_ i: Int) -> String { "\(Self.site)/faq/question-\(i + 1)" }
    func articleTitle(_ k: Int) -> String {
        let words = Self.words
        return "Article \(k + 1) on \(words[k % words.count]) \(words[(k / 7) % words.count])"
    }
    func articleURL(_ k: Int) -> String { "\(Self.site)/articles/article-\(k + 1)" }

    func date(_ rng: inout SeededGenerator, year: Int) -> String {
        String(format: "%04d-%02d-%02d", year, 1 + rng.below(12), 1 + rng.below(28))
    }

    /// Question `i` as its page gives it at `version` (0 = first import); each later version adds a
    /// paragraph and moves the date, as an edited page on the site would.
    func question(_ i: Int, version: Int) -> IncomingEntry {
        var rng = SeededGenerator(seed: UInt64(i) &* 7919 &+ 17)
        var paragraphs = (0..<(2 + rng.below(3))).map { _ in paragraph(&rng) }
        var edited = date(&rng, year: 2019 + rng.below(3))
        var related: Set<Int> = []
        while related.count < min(63, questionCount - 1) {
            let j = rng.below(questionCount)
            if j != i { related.insert(j) }
        }
        var cards: [Int] = []
        while cards.count < 12 {
            let k = rng.below(Self.articleCount)
            if !cards.contains(k) { cards.append(k) }
        }
        for v in 0..<version {
            var changeRNG = SeededGenerator(seed: UInt64(i) &* 31 &+ UInt64(v) &* 1_000_003)
            paragraphs.append(paragraph(&changeRNG))
            edited = date(&changeRNG, year: 2022 + v)
        }
        let content = Content(
            title: questionTitle(i), body: paragraphs.joined(separator: "\n\n"), sourceURL: questionURL(i), editedAt: edited,
            related: related.sorted().map { LinkRef(title: questionTitle($0), url: questionURL($0)) },
            articles: cards.map { LinkRef(title: articleTitle($0), url: articleURL($0)) })
        return IncomingEntry(key: questionURL(i), kind: .question, content: content)
    }

    func article(_ k: Int) -> IncomingEntry {
        var rng = SeededGenerator(seed: UInt64(k) &* 104_729 &+ 3)
        return IncomingEntry(key: articleURL(k), kind: .article, content: Content(
            title: articleTitle(k), summary: sentence(&rng), imageURL: "\(Self.site)/images/articles/article-\(k + 1).jpg",
            sourceURL: articleURL(k), editedAt: date(&rng, year: 2024)), isCard: true)
    }

    /// The pages of one batch: questions `first..<first + count` at `version`.
    func pages(version: Int, first: Int, count: Int) -> [PageImport] {
        (first..<min(questionCount, first + count)).map { index in
            var entry = question(index, version: version)
            // Normal form, checks, hash and link columns on this thread, as `pmcms import` does
            // on its parsing threads; a failure here is reported by the write.
            try? entry.prepare()
            return PageImport(entries: [entry])
        }
    }
}

do {
    let store = try ContentStore(path: path, create: true)
    let start = Date()
    _ = try store.importPages((0..<Workload.articleCount).map { PageImport(entries: [workload.article($0)]) }, newStatus: .published, author: "bench")
    let batch = 1000
    // Batch k+1 is generated on another core while batch k is written: the store's single
    // writer is what is being exercised, not this program's string building.
    let batches = (0..<max(1, revisions)).flatMap { version in
        stride(from: 0, to: workload.questionCount, by: batch).map { (version, $0) }
    }
    final class Box: Sendable { let pages = Mutex<[PageImport]>([]) }
    var current = workload.pages(version: batches[0].0, first: batches[0].1, count: batch)
    for index in batches.indices {
        let next = Box()
        let group = DispatchGroup()
        if index + 1 < batches.count {
            let (version, first, work) = (batches[index + 1].0, batches[index + 1].1, workload)
            DispatchQueue.global().async(group: group) {
                let pages = work.pages(version: version, first: first, count: batch)
                next.pages.withLock { $0 = pages }
            }
        }
        let results = try store.importPages(current, newStatus: .published, author: "bench")
        if let error = results.compactMap(\.error).first { throw error }
        group.wait()
        current = next.pages.withLock { $0 }
        if index + 1 == batches.count || batches[index + 1].0 != batches[index].0 {
            let seconds = Date().timeIntervalSince(start)
            FileHandle.standardError.write(Data("  store: revision \(batches[index].0 + 1) of \(workload.questionCount) questions written (\(Int(seconds)) s)\n".utf8))
        }
    }
} catch {
    FileHandle.standardError.write(Data("pmcms-bench-store: \(error)\n".utf8))
    exit(1)
}
