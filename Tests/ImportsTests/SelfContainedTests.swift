import Foundation
import Testing

/// A clone on its own passes its tests: nothing in the repository reaches outside it for a
/// fixture (the development machines have a folder of shared material beside the repository; a
/// person's clone does not).
@Suite struct SelfContainedTests {
    /// Folders and files whose text could name a path outside the repository.
    static let scanned = ["Tests", "Benchmarks", "Fuzz", ".ci", "Sources", "Imports", "Exports", "Schema", "Package.swift", "README.md"]
    /// The sibling folder's name, built so that this file does not match itself.
    static let outside = ".." + "/" + "shared"

    @Test func noFileNamesTheFolderBesideTheRepository() throws {
        let root = Fixtures.repositoryRoot
        var offenders: [String] = []
        var scannedFiles = 0
        for name in Self.scanned {
            let top = root.appendingPathComponent(name)
            var files: [URL] = []
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: top.path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                let walker = try #require(FileManager.default.enumerator(at: top, includingPropertiesForKeys: [.isRegularFileKey]))
                for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    // Fixture pages are data, and the benchmark's work folder is generated.
                    if url.path.contains("/Fixtures/") || url.path.contains("/Benchmarks/work/") { continue }
                    files.append(url)
                }
            } else {
                files.append(top)
            }
            for file in files {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                scannedFiles += 1
                if text.contains(Self.outside) { offenders.append(String(file.path.dropFirst(root.path.count + 1))) }
            }
        }
        #expect(scannedFiles > 100, "the scan must have read the repository's sources")
        #expect(offenders.isEmpty, "these files name the folder beside the repository: \(offenders)")
    }

    @Test func theRealWorldPagesAreInTheRepository() {
        let license = Fixtures.realWorld.appendingPathComponent("LICENSE-readability.md")
        #expect(FileManager.default.fileExists(atPath: license.path), "missing \(license.path)")
    }
}
