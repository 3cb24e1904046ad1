import Foundation
import Synchronization

/// A value computed on its own thread while the caller goes on with other work; `get()` waits
/// for it (and rethrows what computing it threw).
final class BackgroundResult<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            finished.signal()
        }
    }

    /// The value, once computed.
    func get() throws -> Value {
        finished.wait()
        // Passed on, so that a later call does not wait forever.
        finished.signal()
        return try result.withLock { $0! }.get()
    }
}
