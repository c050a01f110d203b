import Foundation
import PMCMS
import TestBackends
import Testing
@testable import Imports

/// An import's failures are values (`ImportFailure`), each with its sentence, not strings.
@Suite("Import failures")
struct ImportFailureTests {
    @Test("a missing path, a false WARC, an empty page, a page with no identity and a page the store refuses each have their case")
    func failuresAreTyped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-failures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try TestBackend.makeStore(in: folder)
        let pages = folder.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        let missing = folder.appendingPathComponent("nowhere.html").path
        let fakeWARC = folder.appendingPathComponent("crawl.warc").path
        try Data("not an archive\n".utf8).write(to: URL(fileURLWithPath: fakeWARC))
        let empty = pages.appendingPathComponent("empty.html").path
        try Data().write(to: URL(fileURLWithPath: empty))
        let options = ImportOptions(author: "test")
        let summary = try ImportRun(store: store, options: options).run(paths: [missing, fakeWARC, empty])
        let byFile = Dictionary(summary.failures.map { ($0.file, $0.reason) }, uniquingKeysWith: { first, _ in first })
        #expect(byFile[missing] == .noSuchFile)
        #expect(byFile[fakeWARC] == .notAWARC)
        let emptyFailure = try #require(summary.failures.first { $0.file.hasSuffix("empty.html") }?.reason)
        guard case .extraction = emptyFailure else {
            Issue.record("an empty file is the extractor's refusal, got \(emptyFailure)")
            return
        }
        #expect(ImportFailure.noSuchFile.description == "no such file or folder")
        // Errors thrown while a page is prepared keep their type.
        #expect(ImportFailure(ImportError.noIdentity) == .page(.noIdentity))
        #expect(ImportFailure(StoreError.invalidField(name: "title", reason: "must be one line"))
            == .write(.refused(.invalidField(name: "title", reason: "must be one line"))))
    }
}
