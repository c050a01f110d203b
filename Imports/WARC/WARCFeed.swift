import Foundation
import PMCMS

/// Turns a WARC archive into batches of pages for the import run, one record at a time, so that
/// an archive of any size is read with flat memory: at most one record's block and one batch
/// of payloads are held.
///
/// What becomes a page: a `response` record holding an HTTP response (`application/http`) with
/// status 200 and an HTML payload (`text/html`, `application/xhtml+xml`). Everything else is
/// passed over and counted by reason (`skipped`): other record types by their type (`request`,
/// `revisit`, `warcinfo`, `metadata`, `resource`, …), responses by status (`status 404`) or as
/// `not HTML`. Pages keep the archive's order, which is the order the crawler fetched them in,
/// so that several captures of one URL become that entry's revisions oldest first.
struct WARCFeed {
    /// A batch of pages, the records that could not be imported, and whether the archive ended.
    struct Batch {
        var sources: [ImportSource] = []
        var failures: [ImportSummary.Failure] = []
        /// The damage that stopped the reader: everything before it was given; nothing after.
        var damage: WARCError?
        var finished = false
    }

    let path: String
    private let reader: WARCReader
    private let maxSize: Int
    /// Records passed over on purpose, by reason.
    private(set) var skipped: [String: Int] = [:]

    init(path: String, maxSize: Int) throws(WARCError) {
        self.path = path
        self.maxSize = maxSize
        reader = try WARCReader(path: path)
    }

    /// Bytes of the archive read so far (compressed bytes for `.warc.gz`).
    var bytesRead: Int64 { reader.bytesRead }

    /// The next pages, at most `pages` of them or about `bytes` of payload.
    mutating func nextBatch(pages: Int, bytes: Int) -> Batch {
        var batch = Batch()
        var held = 0
        // A block holds the HTTP header and maybe chunk framing besides the page itself.
        let maxBlock = maxSize + (1 << 20)
        while batch.sources.count < pages && held < bytes {
            let record: WARCRecord
            do {
                guard let next = try reader.next(maxBlock: maxBlock) else {
                    batch.finished = true
                    return batch
                }
                record = next
            } catch {
                batch.damage = error
                batch.finished = true
                return batch
            }
            switch page(from: record) {
            case .skip(let reason): skipped[reason, default: 0] += 1
            case .failure(let failure): batch.failures.append(failure)
            case .page(let source, let size):
                batch.sources.append(source)
                held += size
            }
        }
        return batch
    }

    private enum Outcome {
        case skip(String)
        case failure(ImportSummary.Failure)
        case page(ImportSource, size: Int)
    }

    private func page(from record: WARCRecord) -> Outcome {
        guard record.type == "response" else { return .skip(record.type.isEmpty ? "no WARC-Type" : record.type) }
        // Heritrix writes `response` records for dns: lookups too (text/dns): not HTTP.
        if let type = record.fields["content-type"]?.lowercased(), !type.hasPrefix("application/http") { return .skip("not HTTP") }
        let uri = record.targetURI ?? "(no WARC-Target-URI)"
        let display = "\(path) (record at offset \(record.offset), \(uri))"
        func failure(_ reason: ImportFailure) -> Outcome { .failure(.init(file: display, reason: reason)) }
        guard let block = record.block ?? record.head else { return failure(.noHTTPResponse) }
        let head: HTTPResponse
        do { head = try HTTPResponse.parseHead(block).response } catch { return failure(.http(error)) }
        guard head.status == 200 else { return .skip("status \(head.status)") }
        guard head.isHTML else { return .skip("not HTML") }
        // The crawler stopped reading this response (size or time limit, disconnect): the
        // page is incomplete, and importing it would make a revision that lost text.
        if let truncated = record.fields["warc-truncated"] {
            return failure(.truncated(truncated))
        }
        guard record.block != nil else {
            return failure(.recordTooLarge(bytes: record.contentLength, limit: maxSize))
        }
        let response: HTTPResponse
        do { response = try HTTPResponse.parse(block, maxBody: maxSize) } catch { return failure(.http(error)) }
        let address = URLCheck.encoded(uri)
        guard record.targetURI != nil, URLCheck.isAbsoluteWebURL(address) else {
            return failure(.noTargetURI)
        }
        // WARC-Date is when the crawler fetched the page, which is what the record is evidence
        // of; Last-Modified is the server's claim about the file (often its mtime, often absent),
        // so it stands in only for an archive without a usable WARC-Date.
        let fetched = record.date.flatMap(Timestamp.canonical) ?? response.lastModified
        // Each record is skipped on its own once imported (WARC-Record-ID is unique per record):
        // keyed by URL alone, the second capture of a page would make the first look changed.
        let recordKey = record.fields["warc-record-id"].map { "warc:" + $0 } ?? "warc:\(address) \(record.date ?? "")"
        let source = ImportSource(
            display: display, location: .payload(response.body), pageURL: address, identity: address,
            recordKey: recordKey, charset: response.charset, note: fetched.map { "fetched \($0)" })
        return .page(source, size: response.body.count)
    }
}
