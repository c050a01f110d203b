import Foundation
import Testing

/// Golden files: the exact bytes each format is expected to produce from the fixture store.
///
/// To regenerate after an intended change, run
/// `PMCMS_UPDATE_GOLDEN=1 swift test --filter ExportsTests` and review the diff of `Golden/`.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var updating: Bool { ProcessInfo.processInfo.environment["PMCMS_UPDATE_GOLDEN"] == "1" }

    static func check(_ data: Data, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: url)
            return
        }
        guard let expected = try? Data(contentsOf: url) else {
            Issue.record("no golden file \(name): run PMCMS_UPDATE_GOLDEN=1 swift test --filter ExportsTests", sourceLocation: sourceLocation)
            return
        }
        if expected != data {
            let got = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
            let want = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
            let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            let gotLine = line < got.count ? got[line] : "<end>"
            let wantLine = line < want.count ? want[line] : "<end>"
            Issue.record(
                "\(name) differs from its golden file at line \(line + 1):\n  got:  \(gotLine)\n  want: \(wantLine)",
                sourceLocation: sourceLocation)
        }
    }
}
