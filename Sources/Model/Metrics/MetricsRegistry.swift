import Synchronization

/// Metrics for the Prometheus text exposition format 0.0.4.
///
/// Metrics are created once (at start-up or on first use of a label set) and then updated with
/// relaxed atomics; rendering reads them without stopping writers. Collectors let a subsystem
/// with its own storage (the HTTP loops' sharded counters) write its families at render time.
public final class MetricsRegistry: Sendable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    private struct Family {
        var name: String
        var help: String
        var kind: Kind
        var members: [(labels: Labels, metric: any RenderableMetric)]
        /// Where each label set sits in `members`: a registry with per-tenant series holds tens of
        /// thousands of them, and each tenant's first calls register theirs.
        var index: [Labels: Int]
    }

    private struct State {
        var families: [Family] = []
        var familyIndex: [String: Int] = [:]
        var collectors: [@Sendable (inout PrometheusWriter) -> Void] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func counter(_ name: String, help: String, labels: Labels = Labels()) -> Counter {
        register(name, help: help, kind: .counter, labels: labels) { Counter() }
    }

    public func gauge(_ name: String, help: String, labels: Labels = Labels()) -> Gauge {
        register(name, help: help, kind: .gauge, labels: labels) { Gauge() }
    }

    public func histogram(_ name: String, help: String, labels: Labels = Labels(),
                          buckets: [Double] = Histogram.latencyBuckets) -> Histogram {
        register(name, help: help, kind: .histogram, labels: labels) { Histogram(buckets: buckets) }
    }

    /// Adds a function that writes whole families at render time.
    public func addCollector(_ collector: @escaping @Sendable (inout PrometheusWriter) -> Void) {
        state.withLock { $0.collectors.append(collector) }
    }

    private func register<M: RenderableMetric>(_ name: String, help: String, kind: Kind, labels: Labels,
                                               make: () -> M) -> M {
        state.withLock { state in
            if let index = state.familyIndex[name] {
                precondition(state.families[index].kind == kind, "metric \(name) registered twice with different kinds")
                if let member = state.families[index].index[labels] {
                    guard let existing = state.families[index].members[member].metric as? M else {
                        preconditionFailure("metric \(name) registered twice with different types")
                    }
                    return existing
                }
                let metric = make()
                state.families[index].index[labels] = state.families[index].members.count
                state.families[index].members.append((labels, metric))
                return metric
            }
            let metric = make()
            state.familyIndex[name] = state.families.count
            state.families.append(Family(name: name, help: help, kind: kind, members: [(labels, metric)], index: [labels: 0]))
            return metric
        }
    }

    /// The whole exposition, ready to serve as `text/plain; version=0.0.4`.
    public func render() -> String {
        let (families, collectors) = state.withLock { ($0.families, $0.collectors) }
        var writer = PrometheusWriter()
        for family in families {
            writer.family(family.name, help: family.help, kind: family.kind)
            for member in family.members {
                member.metric.render(name: family.name, labels: member.labels, into: &writer)
            }
        }
        for collector in collectors { collector(&writer) }
        return writer.text
    }
}

/// Label names and values of one series, in a fixed order.
public struct Labels: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public var pairs: [(String, String)]

    public init() { pairs = [] }
    public init(_ pairs: [(String, String)]) { self.pairs = pairs }
    public init(dictionaryLiteral elements: (String, String)...) { pairs = elements }

    public static func == (lhs: Labels, rhs: Labels) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        for (k, v) in pairs { hasher.combine(k); hasher.combine(v) }
    }

    public func adding(_ name: String, _ value: String) -> Labels { Labels(pairs + [(name, value)]) }
}

/// Writes families and samples in the text format.
public struct PrometheusWriter: Sendable {
    public private(set) var text = ""

    public init() {}

    public mutating func family(_ name: String, help: String, kind: MetricsRegistry.Kind) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    public mutating func sample(_ name: String, labels: Labels, value: Double) {
        text += name
        writeLabels(labels)
        text += " "
        text += PrometheusWriter.format(value)
        text += "\n"
    }

    public mutating func sample(_ name: String, labels: Labels, value: Int) {
        text += name
        writeLabels(labels)
        text += " \(value)\n"
    }

    private mutating func writeLabels(_ labels: Labels) {
        guard !labels.pairs.isEmpty else { return }
        text += "{"
        for (i, (k, v)) in labels.pairs.enumerated() {
            if i > 0 { text += "," }
            text += k
            text += "=\""
            for ch in v.unicodeScalars {
                switch ch {
                case "\\": text += "\\\\"
                case "\"": text += "\\\""
                case "\n": text += "\\n"
                default: text.unicodeScalars.append(ch)
                }
            }
            text += "\""
        }
        text += "}"
    }

    static func format(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Writes a histogram's samples from bucket counts (not cumulative), a sum and a count.
    public mutating func histogram(_ name: String, labels: Labels, bounds: [Double], bucketCounts: [Int], sum: Double) {
        var cumulative = 0
        for (i, bound) in bounds.enumerated() {
            cumulative += bucketCounts[i]
            sample("\(name)_bucket", labels: labels.adding("le", PrometheusWriter.format(bound)), value: cumulative)
        }
        cumulative += bucketCounts[bounds.count]
        sample("\(name)_bucket", labels: labels.adding("le", "+Inf"), value: cumulative)
        sample("\(name)_sum", labels: labels, value: sum)
        sample("\(name)_count", labels: labels, value: cumulative)
    }
}

protocol RenderableMetric: AnyObject, Sendable {
    func render(name: String, labels: Labels, into writer: inout PrometheusWriter)
}

public final class Counter: RenderableMetric {
    private let value = Atomic<Int>(0)

    public init() {}

    public func increment(by amount: Int = 1) { value.wrappingAdd(amount, ordering: .relaxed) }
    public var current: Int { value.load(ordering: .relaxed) }

    func render(name: String, labels: Labels, into writer: inout PrometheusWriter) {
        writer.sample(name, labels: labels, value: current)
    }
}

public final class Gauge: RenderableMetric {
    private let value = Atomic<Int>(0)

    public init() {}

    public func set(_ newValue: Int) { value.store(newValue, ordering: .relaxed) }
    public func increment(by amount: Int = 1) { value.wrappingAdd(amount, ordering: .relaxed) }
    public func decrement(by amount: Int = 1) { value.wrappingSubtract(amount, ordering: .relaxed) }
    public var current: Int { value.load(ordering: .relaxed) }

    func render(name: String, labels: Labels, into writer: inout PrometheusWriter) {
        writer.sample(name, labels: labels, value: current)
    }
}

/// A histogram of seconds; observations are recorded in microseconds to stay on integer atomics.
public final class Histogram: RenderableMetric {
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    public let bounds: [Double]
    private let boundsMicros: [Int]
    private let counts: AtomicArray
    private let sumMicros = Atomic<Int>(0)

    public init(buckets: [Double]) {
        bounds = buckets
        boundsMicros = buckets.map { Int(($0 * 1_000_000).rounded()) }
        counts = AtomicArray(count: buckets.count + 1)
    }

    public func observe(seconds: Double) { observe(micros: Int((seconds * 1_000_000).rounded())) }

    public func observe(micros: Int) {
        var index = boundsMicros.count
        for (i, bound) in boundsMicros.enumerated() where micros <= bound {
            index = i
            break
        }
        counts.add(index, 1)
        sumMicros.wrappingAdd(micros, ordering: .relaxed)
    }

    public var count: Int { (0..<counts.count).reduce(0) { $0 + counts.load($1) } }

    /// Bucket counts (not cumulative, the last is above every bound) and the sum in seconds.
    public func snapshot() -> (buckets: [Int], sum: Double) {
        ((0..<counts.count).map { counts.load($0) }, Double(sumMicros.load(ordering: .relaxed)) / 1_000_000)
    }

    func render(name: String, labels: Labels, into writer: inout PrometheusWriter) {
        let (buckets, sum) = snapshot()
        writer.histogram(name, labels: labels, bounds: bounds, bucketCounts: buckets, sum: sum)
    }
}

/// A fixed-size array of relaxed atomic integers.
public final class AtomicArray: Sendable {
    // Sendable: every element is an `Atomic`; the buffer itself never changes after init.
    private nonisolated(unsafe) let base: UnsafeMutablePointer<Atomic<Int>>
    public let count: Int

    public init(count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        for i in 0..<count { (base + i).initialize(to: Atomic(0)) }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    public func add(_ index: Int, _ amount: Int) { base[index].wrappingAdd(amount, ordering: .relaxed) }

    @inline(__always)
    public func subtract(_ index: Int, _ amount: Int) { base[index].wrappingSubtract(amount, ordering: .relaxed) }

    @inline(__always)
    public func load(_ index: Int) -> Int { base[index].load(ordering: .relaxed) }

    @inline(__always)
    public func store(_ index: Int, _ value: Int) { base[index].store(value, ordering: .relaxed) }
}
