import Foundation
import Dispatch
import PostgresNIO
import Synchronization

/// Runs async PostgreSQL work from the synchronous command line.
///
/// The CLI's commands are synchronous and postgres-nio is async. `run` starts the work as a
/// detached task and waits for it on the calling thread. The task runs on `executor`, threads
/// of Dispatch's own, not on Swift's cooperative pool: a caller may itself be on that pool (a
/// synchronous test, the last release of a store), and a pool as wide as the cores whose every
/// thread waits in `run` would never run the task it waits for. Waiting on an event loop
/// thread would deadlock too (the task needs it), so it is refused. Async callers still use
/// `onOwnThread`, so that no pool thread of theirs waits.
public enum Blocking {
    /// Where `run`'s tasks run.
    static let executor = QueueExecutor()

    /// Runs `body` to completion and returns its result or throws its error.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil { throw PostgresStoreError.blockingOnEventLoop }
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached(executorPreference: executor) {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.value.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        // The semaphore orders the write before this read; the task always sets a result.
        guard let result = outcome.value.withLock({ $0 }) else { throw PostgresStoreError.blockingOnEventLoop }
        return try result.get()
    }

    /// Runs synchronous work that calls `run` on a new thread, and awaits it: for async
    /// callers (tests, the web desk), so that no cooperative-pool thread ever waits.
    public static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

/// The result a detached task hands to the thread that waits for it.
private final class Outcome<T: Sendable>: Sendable {
    let value = Mutex<Result<T, any Error>?>(nil)
}

/// A task executor on a serial Dispatch queue. A serial queue's thread comes from Dispatch's
/// overcommitting pool, which adds a thread when the others wait, unlike Swift's cooperative
/// pool. One queue for every `Blocking.run`: their tasks only start I/O and resume when NIO
/// answers, so they never hold it long.
final class QueueExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "pmcms.postgres.blocking")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
