import Foundation
import Logging
public import PMCMS  // it runs a ContentStore's publish-due

/// What `pmcms serve` runs beside the review desk: `publish-due` once at start, then every
/// `interval`, so that a desk left running publishes on time without cron or a timer.
///
/// Each run is the library's `publishDue` (its own transactions, compare-and-set on each
/// entry), so it is safe beside a cron job or another desk on the same store.
public struct ScheduledPublisher: Sendable {
    public let store: ContentStore
    public let author: String
    public let interval: Duration

    public init(store: ContentStore, author: String, interval: Duration = .seconds(60)) {
        self.store = store
        self.author = author
        self.interval = interval
    }

    /// Runs until the task is cancelled. A failed run (a busy store, say) is logged and retried
    /// at the next tick rather than ending the desk.
    public func run() async {
        await run(logger: Logger(label: "pmcms.publish-due"))
    }

    func run(logger: Logger) async {
        while !Task.isCancelled {
            do {
                // On the desk's blocking pool: a run may wait up to the busy timeout for
                // another writer, which must not hold a thread of Swift's cooperative pool.
                let (store, author) = (store, author)
                let report = try await Blocking.run { try store.publishDue(now: Timestamp.now(), author: author) }
                for item in report.expired { logger.info("publish-due: \(item.slug) expired (\(item.at))") }
                for item in report.published { logger.info("publish-due: \(item.slug) published (scheduled for \(item.at))") }
                for item in report.lapsed { logger.info("publish-due: \(item.slug) lapsed (expired before its time)") }
                for problem in report.notPublished { logger.warning("publish-due: \(problem.slug) not published: \(problem.reason)") }
            } catch {
                logger.error("publish-due failed: \(error)")
            }
            do { try await Task.sleep(for: interval) } catch { return }  // cancelled
        }
    }
}
