import Foundation
import Synchronization

/// Runs a function over inputs on up to `jobs` threads and returns the results in input order.
enum ConcurrentMap {
    static func run<T: Sendable, R: Sendable>(_ inputs: [T], jobs: Int, _ body: @Sendable (T) -> R) -> [R] {
        guard jobs > 1, inputs.count > 1 else { return inputs.map(body) }
        let results = Mutex<[Int: R]>([:])
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: min(jobs, inputs.count)) { _ in
            while true {
                let i: Int = next.withLock { n in defer { n += 1 }; return n }
                guard i < inputs.count else { return }
                let r = body(inputs[i])
                results.withLock { $0[i] = r }
            }
        }
        let all = results.withLock { $0 }
        return inputs.indices.map { all[$0]! }
    }
}
