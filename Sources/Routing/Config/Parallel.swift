import Dispatch
import Synchronization

/// Runs independent CPU-bound work on several threads.
enum Parallel {
    /// `transform` applied to every element, on up to `threads` threads when there is enough
    /// work to share (8 elements per thread); results in input order. Blocks the calling thread,
    /// so call it from a thread of its own rather than from a Swift task.
    static func map<Element: Sendable, Result: Sendable>(_ elements: [Element], threads: Int,
                                                         _ transform: @escaping @Sendable (Element) -> Result) -> [Result] {
        let workers = min(threads, elements.count / 8)
        guard workers > 1 else { return elements.map(transform) }
        let results = Mutex<[Result?]>(Array(repeating: nil, count: elements.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < elements.count else { return }
                let result = transform(elements[index])
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
