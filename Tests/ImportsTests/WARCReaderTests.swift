import Foundation
import Testing
import TestSupport
@testable import Imports

/// The WARC reader on a real crawl (wget 1.21.3 against a local server: `Tests/Fixtures/warc`),
/// on the same archive uncompressed, cut short and damaged, and on hand-made WARC 1.1 records.
@Suite struct WARCReaderTests {
    static let crawl = Fixtures.directory.appendingPathComponent("warc/sample-site.warc.gz")

    /// Every record of an archive, and the error that stopped the reader, if any.
    static func readAll(_ path: String, maxBlock: Int = 1 << 20) throws -> (records: [WARCRecord], error: WARCError?) {
        let reader = try WARCReader(path: path)
        var records: [WARCRecord] = []
        do {
            while let record = try reader.next(maxBlock: maxBlock) { records.append(record) }
            return (records, nil)
        } catch {
            return (records, error)
        }
    }

    func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-warc-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }

    /// The archive as gzip's own program decompresses it: the reader must agree with it.
    func gunzipped() throws -> [UInt8] {
        let output = try Subprocess.run(path: "/bin/gzip", ["-dc", Self.crawl.path])
        try #require(output.status == 0)
        return Array(output.stdout)
    }

    @Test func readsEveryRecordOfARealCrawl() throws {
        let (records, error) = try Self.readAll(Self.crawl.path)
        #expect(error == nil)
        let types = Dictionary(grouping: records, by: \.type).mapValues(\.count)
        #expect(types == ["warcinfo": 1, "request": 20, "response": 20, "resource": 2, "metadata": 1])
        #expect(records.allSatisfy { $0.version == "WARC/1.0" && $0.block?.count == $0.contentLength })
        let responses = records.filter { $0.type == "response" }
        // wget writes WARC 1.0's angle brackets around the URI; they are not part of it.
        #expect(responses.allSatisfy { $0.targetURI?.hasPrefix("http://127.0.0.1:18765/") == true })
        let seed = try #require(responses.first { $0.targetURI == "http://127.0.0.1:18765/faq/is-pmo-more-senior-than-project-manager.html" })
        let response = try HTTPResponse.parse(try #require(seed.block), maxBody: 1 << 20)
        #expect(response.status == 200)
        #expect(response.mediaType == "text/html")
        let page = try Data(contentsOf: Fixtures.directory.appendingPathComponent(Fixtures.seedPath))
        #expect(response.body == Array(page), "the payload is the page byte for byte")
        #expect(seed.date?.hasPrefix("2026-") == true)
        let missing = try #require(responses.first { $0.targetURI?.hasSuffix("/robots.txt") == true })
        #expect(try HTTPResponse.parse(try #require(missing.block), maxBody: 1 << 20).status == 404)
        #expect(WARCReader.isArchive(path: Self.crawl.path))
        #expect(!WARCReader.isArchive(path: Fixtures.directory.appendingPathComponent(Fixtures.seedPath).path))
    }

    @Test func plainArchiveGivesTheSameRecordsWithFileOffsets() throws {
        let plain = try gunzipped()
        let url = try temporaryFile(plain)
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, error) = try Self.readAll(url.path)
        #expect(error == nil)
        let (compressed, _) = try Self.readAll(Self.crawl.path)
        #expect(records.map(\.fields) == compressed.map(\.fields))
        #expect(records.map(\.block) == compressed.map(\.block))
        // Each offset points at the record's own version line.
        for record in records {
            let at = Int(record.offset)
            #expect(Array(plain[at..<(at + 9)]) == Array("WARC/1.0\r".utf8), "offset \(record.offset)")
        }
    }

    @Test func aTruncatedArchiveGivesWhatCameBeforeAndNamesTheOffset() throws {
        let bytes = Array(try Data(contentsOf: Self.crawl))
        let (all, _) = try Self.readAll(Self.crawl.path)
        let cut = bytes.count * 2 / 3
        let url = try temporaryFile(Array(bytes[..<cut]))
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, error) = try Self.readAll(url.path)
        guard case .truncated(let offset) = error else {
            Issue.record("expected a truncation error, got \(String(describing: error))")
            return
        }
        #expect(records.count > 10 && records.count < all.count)
        #expect(records == Array(all.prefix(records.count)), "everything before the damage reads as in the whole archive")
        // The offset names the gzip member that was cut: the one after the last whole record.
        #expect(offset == all[records.count].offset)
        #expect(offset < Int64(cut))
    }

    @Test func aDamagedMemberStopsTheReaderAtItsOffset() throws {
        var bytes = Array(try Data(contentsOf: Self.crawl))
        let (all, _) = try Self.readAll(Self.crawl.path)
        let victim = all[30]
        // Overwrite the deflate data just after the member's 10-byte gzip header.
        let at = Int(victim.offset) + 12
        for i in at..<(at + 40) { bytes[i] = 0xFF }
        let url = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, error) = try Self.readAll(url.path)
        guard case .corrupt(let offset, _) = error else {
            Issue.record("expected a damaged-record error, got \(String(describing: error))")
            return
        }
        #expect(offset == victim.offset)
        #expect(records == Array(all.prefix(30)))
    }

    @Test func warc11RecordsWithChunkedGzipBodiesAndOversizeBlocks() throws {
        var gzipped: [UInt8] = []
        do {
            // A body compressed by gzip's own program, as a server would send it.
            let html = "<html><head><title>Café</title></head><body><p>Crème brûlée</p></body></html>"
            gzipped = Array(try Subprocess.run(path: "/bin/gzip", ["-c"], input: Data(html.utf8)).stdout)
        }
        // Chunked in two pieces, with a chunk extension.
        let half = gzipped.count / 2
        var body: [UInt8] = []
        body += Array(String(half, radix: 16).utf8) + Array(";ext=1\r\n".utf8) + gzipped[..<half] + Array("\r\n".utf8)
        body += Array(String(gzipped.count - half, radix: 16).utf8) + Array("\r\n".utf8) + gzipped[half...] + Array("\r\n0\r\n\r\n".utf8)
        let http = Array("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"ISO-8859-1\"\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".utf8) + body
        func record(_ type: String, _ uri: String, _ block: [UInt8]) -> [UInt8] {
            Array("WARC/1.1\r\nWARC-Type: \(type)\r\nWARC-Target-URI: \(uri)\r\nWARC-Date: 2026-11-30T10:00:00Z\r\nContent-Length: \(block.count)\r\n\r\n".utf8) + block + Array("\r\n\r\n".utf8)
        }
        let big = [UInt8](repeating: 0x41, count: 300_000)
        let archive = record("response", "https://example.org/big.bin", big) + record("response", "https://example.org/cafe", http)
        let url = try temporaryFile(archive)
        defer { try? FileManager.default.removeItem(at: url) }
        let (records, error) = try Self.readAll(url.path, maxBlock: 100_000)
        #expect(error == nil)
        #expect(records.count == 2)
        #expect(records[0].block == nil && records[0].contentLength == 300_000, "an oversize block is skipped, not kept")
        #expect(records[1].version == "WARC/1.1" && records[1].targetURI == "https://example.org/cafe")
        let response = try HTTPResponse.parse(try #require(records[1].block), maxBody: 1 << 20)
        #expect(response.charset == "ISO-8859-1")
        #expect(String(decoding: response.body, as: UTF8.self).contains("Crème brûlée"))
        #expect(throws: HTTPResponse.ParseError.tooLarge(limit: 10)) { try HTTPResponse.parse(try #require(records[1].block), maxBody: 10) }
        var broken = http
        broken[broken.count - 20] ^= 0xFF
        #expect(throws: (any Error).self) { try HTTPResponse.parse(broken, maxBody: 1 << 20) }
    }
}
