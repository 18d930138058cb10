import Model

/// Checks each flow as a graph: the start and every transition target exist, every state can be
/// reached from the start and can reach a final state, and every path to a final state confirms
/// the customer and notifies the operator (and, to `completed`, updates the system of record).
struct FlowValidator {
    let flow: Flow
    let graph: FlowGraph
    let index: LocationIndex
    let log: DiagnosticLog

    private var path: String { "flows.\(flow.name)" }

    func validate() {
        guard checkTargets() else { return }
        let reachable = graph.reachable()
        let ending = graph.canEnd()
        for (number, name) in graph.names.enumerated() {
            if !reachable[number] {
                error("state \"\(name)\" is unreachable: no transition leads to it from the start state \"\(flow.start)\"",
                      "\(path).states.\(name)")
            } else if !ending[number] {
                error("no path from state \"\(name)\" reaches a final state: the flow could loop forever; give it a way to end",
                      "\(path).states.\(name)")
            }
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
            if let branch = state.branch {
                let statePath = "\(path).states.\(state.name)"
                for (offset, target) in branch.targets.enumerated() where flow.states[target] == nil {
                    isUsable = false
                    let at = offset < branch.cases.count ? "\(statePath).branch[\(offset)].to" : "\(statePath).else"
                    log.error("transition to unknown state \"\(target)\"\(EditDistance.hint(for: target, among: names))",
                              at: index.valueLocation(at) ?? SourceLocation(file: "", line: 1, column: 1), path: at)
                }
                continue
            }
            guard let step = state.step else { continue }
            var reported: Set<String> = []
            for outcome in Outcome.allCases {
                guard let target = step.transitions[outcome], flow.states[target] == nil else { continue }
                isUsable = false
                let statePath = "\(path).states.\(state.name)"
                let explicit = "\(statePath).on.\(outcome.rawValue)"
                let at = index.resolve(explicit) != nil ? explicit : "\(statePath).next"
                guard reported.insert(at).inserted else { continue }
                log.error("transition to unknown state \"\(target)\"\(EditDistance.hint(for: target, among: names))",
                          at: index.valueLocation(at) ?? SourceLocation(file: "", line: 1, column: 1), path: at)
            }
        }
        return isUsable
    }

    /// What a path has done so far, as bits: customer confirmed, operator notified, record updated.
    private static let customer = 1, operatorNotified = 2, record = 4

    /// Searches (state, progress) pairs breadth-first from the start, so each witness is a
    /// shortest path; reports, per final state, each requirement some path misses.
    private func checkCompleteness() {
        let names = graph.names
        guard let start = graph.start else { return }
        // Per state: the progress bits its step adds.
        var adds = [Int](repeating: 0, count: names.count)
        for (number, name) in names.enumerated() {
            guard let step = flow.states[name]?.step, let spec = AgentCatalog.spec(named: step.agent) else { continue }
            adds[number] = (spec.confirmsCustomer ? Self.customer : 0) | (spec.notifiesOperator ? Self.operatorNotified : 0)
                | (spec.updatesRecord ? Self.record : 0)
        }
        // A node is state * 8 + progress.
        var parent = [Int](repeating: -1, count: names.count * 8)
        var seen = [Bool](repeating: false, count: names.count * 8)
        var queue = [start * 8]
        seen[start * 8] = true
        var head = 0
        var reported: Set<String> = []
        while head < queue.count {
            let node = queue[head]
            head += 1
            let (number, progress) = (node / 8, node % 8)
            if let final = flow.states[names[number]]?.final {
                var missing: [String] = []
                if progress & Self.customer == 0 { missing.append("confirming the customer (notify.customer)") }
                if progress & Self.operatorNotified == 0 { missing.append("notifying the operator (notify.operator)") }
                if final.result == .completed, progress & Self.record == 0 {
                    missing.append("updating the system of record (crm.note or crm.update)")
                }
                for requirement in missing where reported.insert(names[number] + requirement).inserted {
                    var route = [names[number]]
                    var current = node
                    while parent[current] >= 0 {
                        current = parent[current]
                        route.append(names[current / 8])
                    }
                    error("a path reaches this \(final.result.rawValue) state without \(requirement): "
                          + route.reversed().joined(separator: " → "), "\(path).states.\(names[number])")
                }
                continue
            }
            let progressAfter = progress | adds[number]
            for edge in graph.edges[number] {
                let child = edge.target * 8 + progressAfter
                if !seen[child] {
                    seen[child] = true
                    parent[child] = node
                    queue.append(child)
                }
            }
        }
    }
}
