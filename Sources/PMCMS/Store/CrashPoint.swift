import Foundation

/// A stop for the crash-safety tests, inert unless the tests ask for it.
///
/// With `PMCMS_TEST_STOP_AT=POINT:N` and `PMCMS_TEST_STOP_FILE=PATH` set, the N-th time this
/// process reaches POINT it creates PATH and waits to be killed, so that a test can SIGKILL
/// it exactly there instead of after a guessed delay. The points are `before-commit` (inside a
/// write transaction, all of its writes done, nothing committed) and `after-commit` (the
/// transaction committed, the command not finished). Without both variables nothing happens
/// but one check of a static, read once. Both backends reach them (SQLite's `writeSQLite`,
/// PostgreSQL's `PostgresBackend.write`).
package enum CrashPoint {
    package enum Point: String {
        case beforeCommit = "before-commit", afterCommit = "after-commit"
    }

    private struct Stop {
        let point: Point
        let count: Int
        let file: String
    }

    private static let stop: Stop? = {
        guard let spec = ProcessEnvironment.nonEmpty("PMCMS_TEST_STOP_AT"), let file = ProcessEnvironment.nonEmpty("PMCMS_TEST_STOP_FILE"),
              let colon = spec.lastIndex(of: ":"), let point = Point(rawValue: String(spec[..<colon])),
              let count = Int(spec[spec.index(after: colon)...]), count >= 1 else { return nil }
        return Stop(point: point, count: count, file: file)
    }()

    /// How many times each point was reached; only touched when a stop is set.
    nonisolated(unsafe) private static var reached: [Point: Int] = [:]
    private static let lock = NSLock()

    package static func reach(_ point: Point) {
        guard let stop, stop.point == point else { return }
        let count = lock.withLock {
            reached[point, default: 0] += 1
            return reached[point, default: 0]
        }
        guard count == stop.count else { return }
        _ = FileManager.default.createFile(atPath: stop.file, contents: Data(point.rawValue.utf8))
        while true { pause() }  // until the test's SIGKILL
    }
}
