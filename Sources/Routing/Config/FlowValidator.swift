import Model

/// Checks each flow as a graph: the start and every transition target exist, every state can be
/// reached from the start and can reach a final state, and every path to a final state confirms
/// the customer and notifies the operator (and, to `completed`, updates the system of record).
struct FlowValidator {
    let flow: Flow
    let index: LocationIndex
    let log: DiagnosticLog

    private var path: String { "flows.\(flow.name)" }

    func validate() {
        guard checkTargets() else { return }
        let reachable = reachableStates()
        for name in flow.states.keys.sorted() where !reachable.contains(name) {
            error("state \"\(name)\" is unreachable: no transition leads to it from the start state \"\(flow.start)\"",
                  "\(path).states.\(name)")
        }
        let ending = statesThatCanEnd()
        for name in flow.states.keys.sorted() where reachable.contains(name) && !ending.contains(name) {
            error("no path from state \"\(name)\" reaches a final state: the flow could loop forever; give it a way to end",
                  "\(path).states.\(name)")
        }
        // An unknown agent (already reported) would make every path through it look incomplete.
        if flow.states.values.allSatisfy({ $0.step.map { AgentCatalog.spec(named: $0.agent) != nil } ?? true }) {
            checkCompleteness()
        }
    }

    private func error(_ message: String, _ at: String) {
        log.error(message, at: index.location(at) ?? SourceLocation(file: "", line: 1, column: 1), path: at)
    }

    /// Reports a missing start or transition target; false when the graph is not usable.
    private func checkTargets() -> Bool {
        var isUsable = true
        let names = flow.states.keys
        if !flow.start.isEmpty, flow.states[flow.start] == nil {
            log.error("start state \"\(flow.start)\" is not defined under states\(EditDistance.hint(for: flow.start, among: names))",
                      at: index.valueLocation("\(path).start") ?? SourceLocation(file: "", line: 1, column: 1), path: "\(path).start")
            isUsable = false
        }
        if flow.start.isEmpty || flow.states.isEmpty { isUsable = false }
        for state in flow.states.values.sorted(by: { $0.name < $1.name }) {
            guard let step = state.step else { continue }
            var reported: Set<String> = []
            for outcome in Outcome.allCases {
                guard let target = step.transitions[outcome], flow.states[target] == nil else { continue }
                isUsable = false
                let statePath = "\(path).states.\(state.name)"
                let explicit = "\(statePath).on.\(outcome.rawValue)"
                let at = index.values[explicit] != nil ? explicit : "\(statePath).next"
                guard reported.insert(at).inserted else { continue }
                log.error("transition to unknown state \"\(target)\"\(EditDistance.hint(for: target, among: names))",
                          at: index.values[at] ?? index.location(statePath)!, path: at)
            }
        }
        return isUsable
    }

    private func successors(_ name: String) -> [String] {
        guard let step = flow.states[name]?.step else { return [] }
        return Outcome.allCases.compactMap { step.transitions[$0] }
    }

    private func reachableStates() -> Set<String> {
        var seen: Set<String> = [flow.start]
        var queue = [flow.start]
        while let name = queue.popLast() {
            for next in successors(name) where seen.insert(next).inserted { queue.append(next) }
        }
        return seen
    }

    private func statesThatCanEnd() -> Set<String> {
        var predecessors: [String: [String]] = [:]
        for name in flow.states.keys { for next in successors(name) { predecessors[next, default: []].append(name) } }
        var ending = Set(flow.states.values.filter { $0.final != nil }.map(\.name))
        var queue = Array(ending)
        while let name = queue.popLast() {
            for previous in predecessors[name] ?? [] where ending.insert(previous).inserted { queue.append(previous) }
        }
        return ending
    }

    /// What a path has done so far.
    private struct Progress: Hashable, OptionSet {
        let rawValue: Int
        static let customer = Progress(rawValue: 1)
        static let `operator` = Progress(rawValue: 2)
        static let record = Progress(rawValue: 4)
    }

    private struct Node: Hashable {
        var state: String
        var progress: Progress
    }

    /// Searches states × progress breadth-first from the start, so each witness is a shortest
    /// path; reports, per final state, each requirement some path misses.
    private func checkCompleteness() {
        let start = Node(state: flow.start, progress: [])
        var parent: [Node: Node] = [:]
        var seen: Set<Node> = [start]
        var queue = [start]
        var head = 0
        var reported: Set<String> = []
        while head < queue.count {
            let node = queue[head]
            head += 1
            guard let state = flow.states[node.state] else { continue }
            if let final = state.final {
                var missing: [String] = []
                if !node.progress.contains(.customer) { missing.append("confirming the customer (notify.customer)") }
                if !node.progress.contains(.operator) { missing.append("notifying the operator (notify.operator)") }
                if final.result == .completed, !node.progress.contains(.record) {
                    missing.append("updating the system of record (crm.note or crm.update)")
                }
                for requirement in missing where reported.insert(node.state + requirement).inserted {
                    let route = witness(to: node, parents: parent)
                    error("a path reaches this \(final.result.rawValue) state without \(requirement): \(route)",
                          "\(path).states.\(node.state)")
                }
                continue
            }
            guard let step = state.step, let spec = AgentCatalog.spec(named: step.agent) else { continue }
            var progress = node.progress
            if spec.confirmsCustomer { progress.insert(.customer) }
            if spec.notifiesOperator { progress.insert(.operator) }
            if spec.updatesRecord { progress.insert(.record) }
            for next in successors(node.state) {
                let child = Node(state: next, progress: progress)
                if seen.insert(child).inserted {
                    parent[child] = node
                    queue.append(child)
                }
            }
        }
    }

    private func witness(to node: Node, parents: [Node: Node]) -> String {
        var names = [node.state]
        var current = node
        while let previous = parents[current] {
            names.append(previous.state)
            current = previous
        }
        return names.reversed().joined(separator: " → ")
    }
}
