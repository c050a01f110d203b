import Foundation
import Dispatch
import PostgresNIO
import Synchronization

/// Runs async PostgreSQL work from the synchronous command line.
///
/// The CLI's commands are synchronous and postgres-nio is async. `run` starts the work as a
/// detached task (on Swift's cooperative pool, which talks to NIO's event loop threads) and
/// waits for it on the calling thread. That is safe only on a thread that neither of them
/// needs: the CLI's main thread, or a thread of one's own (`onOwnThread`). Waiting on an event
/// loop thread would deadlock, so it is refused; waiting on a cooperative-pool thread could
/// starve the pool, so async callers use `onOwnThread` instead of calling `run`.
public enum Blocking {
    /// Runs `body` to completion and returns its result or throws its error.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        if MultiThreadedEventLoopGroup.currentEventLoop != nil { throw PostgresStoreError.blockingOnEventLoop }
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
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
