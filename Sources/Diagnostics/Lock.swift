import Synchronization

/// A small mutex wrapper, so this module needs no Foundation.
final class NSLockLike: Sendable {
    private let mutex = Mutex<Void>(())

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        try mutex.withLock { _ in try body() }
    }
}
