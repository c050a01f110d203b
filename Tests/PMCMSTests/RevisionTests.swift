import Foundation
import GRDB
import Testing
import TestBackends
import TestSupport
@testable import PMCMS

@Suite("Revisions")
struct RevisionTests {
    @Test("every change appends exactly one revision, numbered 1, 2, 3")
    func oneRevisionPerChange() throws {
        let t = try TestStore()
        let header = try t.question()
        #expect(header.head == 1)
        let edit = try t.store.edit("1", author: "kim", message: "reword") { $0.body = "A PMO oversees many projects." }
        #expect(edit.revision == 2)
        try t.store.transition("1", .submit, author: "kim")
        let revisions = try t.store.revisions("1")
        #expect(revisions.map(\.number) == [1, 2, 3])
        #expect(revisions.map(\.origin) == [.edit, .edit, .workflow])
        #expect(revisions.map(\.parent) == [nil, 1, 2])
        #expect(revisions[1].author == "kim")
        #expect(revisions[1].message == "reword")
        #expect(revisions[1].linesAdded == 1 && revisions[1].linesRemoved == 1)
        #expect(Timestamp.parse(revisions[1].createdAt) != nil)
        #expect(revisions[1].createdAt.hasSuffix("Z"))
    }

    @Test("a change that changes nothing makes no revision")
    func noOpMakesNoRevision() throws {
        let t = try TestStore()
        try t.question(body: "Same.")
        let result = try t.store.edit("1", author: "kim") { $0.body = "Same." }
        #expect(result.revision == nil)
        #expect(try t.store.revisions("1").count == 1)
    }

    @Test("SQL refuses UPDATE and DELETE of a revision", .sqliteOnly("SQLite's triggers through GRDB; PostgreSQL's are tested in PostgresSchemaTests"))
    func revisionsAreAppendOnly() throws {
        let t = try TestStore()
        try t.question()
        #expect {
            try t.execute("UPDATE revision SET title = 'rewritten' WHERE number = 1")
        } throws: { error in
            (error as? DatabaseError)?.message?.contains("append-only") == true
        }
        #expect {
            try t.execute("DELETE FROM revision")
        } throws: { error in
            (error as? DatabaseError)?.message?.contains("append-only") == true
        }
        #expect(try t.store.content("1", revision: 1).title == "Is PMO more senior than project manager?")
    }

    @Test("revision numbers stay contiguous: a gap is refused by the schema", .sqliteOnly("SQLite's trigger through GRDB; PostgreSQL's is tested in PostgresSchemaTests"))
    func contiguousNumbers() throws {
        let t = try TestStore()
        try t.question()
        #expect(throws: DatabaseError.self) {
            try t.execute("""
                INSERT INTO revision (entry_id, number, origin, author, created_at, status, title, hash)
                VALUES (1, 5, 'edit', 'x', '2026-01-01T00:00:00Z', 'draft', 'gap', 'sha256:0')
                """)
        }
        for i in 0..<5 { try t.store.edit("1", author: "kim") { $0.body = "version \(i)" } }
        #expect(try t.store.revisions("1").map(\.number) == Array(1...6))
    }

    @Test("the content hash is stable and follows the content")
    func contentHash() throws {
        let content = Content(status: .draft, title: "Q?", body: "A.", related: [LinkRef(title: "R", url: "https://x.org/r")])
        let first = ContentStore.contentHash(kind: .question, content: content)
        #expect(first == ContentStore.contentHash(kind: .question, content: content), "deterministic")
        #expect(first == "sha256:" + (try Self.independentHash(kind: "question", content: content)), "the documented layout")
        #expect(first.hasPrefix("sha256:") && first.count == 7 + 64)
        var changed = content
        changed.body = "B."
        #expect(ContentStore.contentHash(kind: .question, content: changed) != first)
        #expect(ContentStore.contentHash(kind: .article, content: content) != first)

        // A revision's own hash (scheme 2) covers its metadata as well as this snapshot.
        let t = try TestStore()
        try t.store.createEntry(kind: .question, content: content, author: "sam")
        let stored = try t.store.revisions("1")[0]
        #expect(stored.hash == ContentStore.revisionHash(kind: .question, content: content, metadata: RevisionMetadata(
            entryID: 1, number: 1, parent: nil, origin: "edit", author: "sam", createdAt: stored.createdAt, message: nil,
            upstream: false, linesAdded: 1, linesRemoved: 0)))
        #expect(stored.hash != first && stored.hash.hasPrefix("sha256:") && stored.hash.count == 7 + 64)
    }

    /// The hash recomputed outside pmcms's code: the layout `SnapshotBytes` documents
    /// ("pmcms-snapshot-1", then each field as a presence byte, a little-endian 64-bit length and
    /// its UTF-8; link lists as a count and their fields), hashed by coreutils' `sha256sum`.
    static func independentHash(kind: String, content: Content) throws -> String {
        var bytes = Array("pmcms-snapshot-1".utf8)
        func length(_ n: Int) { bytes += withUnsafeBytes(of: UInt64(n).littleEndian, Array.init) }
        func field(_ text: String?) {
            guard let text else { return bytes.append(0) }
            bytes.append(1)
            length(text.utf8.count)
            bytes += Array(text.utf8)
        }
        for text in [kind, content.status.rawValue, content.title, content.body, content.summary, content.imageURL,
                     content.sourceURL, content.editedAt, content.publishedAt] { field(text) }
        for links in [content.related, content.articles] {
            length(links.count)
            for link in links { field(link.title); field(link.url); field(link.slug) }
        }
        let output = try Subprocess.run(path: "/usr/bin/sha256sum", input: Data(bytes))
        return String(output.stdoutText.prefix(64))
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("editing title, body or summary moves edited_at; other fields do not")
    func editedAtFollowsText() throws {
        let t = try TestStore()
        try t.store.createEntry(kind: .question, content: Content(title: "Q?", body: "A.", editedAt: "2026-06-09"), author: "sam")
        try t.store.edit("1", author: "kim") { $0.imageURL = "https://example.org/i.png" }
        #expect(try t.store.entry("1").content.editedAt == "2026-06-09")
        try t.store.edit("1", author: "kim") { $0.body = "B." }
        let editedAt = try #require(try t.store.entry("1").content.editedAt)
        #expect(editedAt != "2026-06-09" && Timestamp.parse(editedAt) != nil)
    }

    @Test("--expect-rev refuses a stale edit and writes nothing")
    func staleEdit() throws {
        let t = try TestStore()
        try t.question()
        try t.store.edit("1", author: "kim") { $0.body = "B." }
        #expect(throws: StoreError.staleRevision(slug: "is-pmo-more-senior-than-project-manager", expected: 1, actual: 2)) {
            try t.store.edit("1", author: "lee", expectRevision: 1) { $0.body = "C." }
        }
        #expect(try t.store.revisions("1").count == 2)
        #expect(try t.store.edit("1", author: "lee", expectRevision: 2) { $0.body = "C." }.revision == 3)
    }

    @Test("invalid fields are refused with the field's name")
    func validation() throws {
        let t = try TestStore()
        try t.question()
        #expect(throws: StoreError.self) { try t.store.edit("1", author: "kim") { $0.editedAt = "yesterday" } }
        #expect(throws: StoreError.self) { try t.store.edit("1", author: "kim") { $0.imageURL = "javascript:alert(1)" } }
        #expect(throws: StoreError.self) { try t.store.edit("1", author: "kim") { $0.title = "  " } }
        #expect(try t.store.revisions("1").count == 1)
    }

    @Test("show at any revision returns that revision's fields, links included")
    func historicalRead() throws {
        let t = try TestStore()
        try t.question()
        try t.store.createEntry(kind: .article, content: Content(title: "Managing small projects", summary: "Scaling down."), author: "sam")
        try t.store.edit("1", author: "kim") {
            $0.related = [LinkRef(title: "Am I qualified?", url: "https://www.example.org/faq/am-i-qualified")]
            $0.articles = [LinkRef(title: "Managing small projects", slug: "managing-small-projects")]
        }
        let first = try t.store.entry("1", at: .number(1))
        #expect(first.revision == 1 && first.related.isEmpty && first.articles.isEmpty)
        let second = try t.store.entry("is-pmo-more-senior-than-project-manager", at: .number(2))
        #expect(second.related.map(\.title) == ["Am I qualified?"])
        #expect(second.related[0].slug == nil)  // not imported yet: kept as a URL
        #expect(second.articles[0].slug == "managing-small-projects")
        #expect(second.articles[0].summary == "Scaling down.")
        #expect(throws: StoreError.unknownRevision(slug: "is-pmo-more-senior-than-project-manager", number: 9)) {
            try t.store.entry("1", at: .number(9))
        }
        #expect(throws: StoreError.unknownEntry(ref: "nope")) { try t.store.entry("nope") }
    }

    @Test("slugs are readable and unique")
    func slugs() throws {
        #expect(Slug.make("Is PMO more senior than project manager?") == "is-pmo-more-senior-than-project-manager")
        #expect(Slug.make("Résumé: what's new?") == "resume-whats-new")
        #expect(Slug.make("???") == "entry")
        let t = try TestStore()
        try t.question("Same title")
        try t.question("Same title")
        try t.question("2026")
        #expect(try t.store.list(ListQuery(sort: .id)).map(\.slug) == ["same-title", "same-title-2", "entry-2026"])
    }
}

@Suite("SHA-256 streaming")
struct SHA256StreamingTests {
    @Test("hashing in pieces of any size gives the one-shot digest")
    func pieces() {
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hex(bytes)
        for size in [1, 3, 63, 64, 65, 127, 500] {
            var hasher = SHA256()
            var index = 0
            while index < bytes.count {
                hasher.update(bytes[index..<min(bytes.count, index + size)])
                index += size
            }
            #expect(hasher.finalizeHex() == whole, "pieces of \(size)")
        }
        #expect(SHA256.hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite("Snapshot bytes")
struct SnapshotBytesTests {
    @Test("the hash input tells apart fields that concatenation would run together")
    func unambiguous() {
        let a = Content(title: "ab", body: "c")
        let b = Content(title: "a", body: "bc")
        #expect(ContentStore.contentHash(kind: .question, content: a) != ContentStore.contentHash(kind: .question, content: b))
        let absent = Content(title: "t", summary: nil)
        let empty = Content(title: "t", summary: "")
        #expect(ContentStore.contentHash(kind: .question, content: absent) != ContentStore.contentHash(kind: .question, content: empty))
        let oneLink = Content(title: "t", related: [LinkRef(title: "x", url: "https://e.org/a")])
        let asArticle = Content(title: "t", articles: [LinkRef(title: "x", url: "https://e.org/a")])
        #expect(ContentStore.contentHash(kind: .question, content: oneLink) != ContentStore.contentHash(kind: .question, content: asArticle))
    }

    @Test("the link columns are JSONEncoder's output and decode back")
    func linkColumns() throws {
        let links = [LinkRef(title: "Quote \" and \\ and é\n", url: "https://e.org/a?b=c&d", slug: nil), LinkRef(title: "s", slug: "s")]
        let text = try ContentStore.encodeLinks(links)
        #expect(try ContentStore.decodeLinks(text) == links)
        #expect(try ContentStore.encodeLinks([]) == "[]")
    }
}
