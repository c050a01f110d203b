import Foundation
import PMCMS
import TestBackends
import Testing
@testable import Imports

/// A dry run must report what the import would do, however the pages fall into batches.
@Suite("Dry-run imports")
struct DryRunTests {
    @Test func aDryRunInSmallBatchesCountsWhatTheImportDoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pmcms-dryrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try TestBackend.makeStore(in: folder)
        let site = Fixtures.directory.appendingPathComponent("site").path
        func run(dryRun: Bool) throws -> ImportSummary {
            // Two pages per batch: the site's pages share article cards across batches.
            let options = ImportOptions(baseURL: "https://www.example.org", dryRun: dryRun, author: "test", batchSize: 2)
            return try ImportRun(store: store, options: options).run(paths: [site])
        }
        let dry = try run(dryRun: true)
        #expect(try store.list(ListQuery()).isEmpty)
        let real = try run(dryRun: false)
        #expect(real.created > 0)
        #expect(dry.created == real.created)
        #expect(dry.createdSlugs.count == real.createdSlugs.count)
        #expect(dry.updated == real.updated)
        #expect(dry.failures == real.failures)
    }
}
