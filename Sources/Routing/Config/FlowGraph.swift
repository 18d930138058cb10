import Model

/// A flow's states numbered, with their transitions as numbers, for the graph checks: built
/// once per flow and shared by the validators. Transitions to states that do not exist are left
/// out (they are reported separately).
struct FlowGraph {
    let flow: Flow
    /// State names, sorted; a state's number is its position here.
    let names: [String]
    let numbers: [String: Int]
    /// Per state: (outcome, next state) for each transition to an existing state.
    let edges: [[(outcome: Outcome, target: Int)]]
    let start: Int?

    init(_ flow: Flow) {
        self.flow = flow
        names = flow.states.keys.sorted()
        var numbers: [String: Int] = [:]
        for (number, name) in names.enumerated() { numbers[name] = number }
        self.numbers = numbers
        edges = names.map { name in
            // A branch's ways out are all "ok": it reports nothing and sets nothing.
            if let branch = flow.states[name]?.branch { return branch.targets.compactMap { numbers[$0] }.map { (.ok, $0) } }
            guard let step = flow.states[name]?.step else { return [] }
            return Outcome.allCases.compactMap { outcome in
                step.transitions[outcome].flatMap { numbers[$0] }.map { (outcome, $0) }
            }
        }
        start = numbers[flow.start]
    }

    var count: Int { names.count }

    func state(_ number: Int) -> FlowState? { flow.states[names[number]] }

    /// States reachable from the start (the start included).
    func reachable() -> [Bool] {
        var seen = [Bool](repeating: false, count: count)
        guard let start else { return seen }
        seen[start] = true
        var queue = [start]
        while let number = queue.popLast() {
            for edge in edges[number] where !seen[edge.target] {
                seen[edge.target] = true
                queue.append(edge.target)
            }
        }
        return seen
    }

    /// States from which some path reaches a final state.
    func canEnd() -> [Bool] {
        var predecessors = [[Int]](repeating: [], count: count)
        for (number, list) in edges.enumerated() { for edge in list { predecessors[edge.target].append(number) } }
        var ending = (0..<count).map { state($0)?.final != nil }
        var queue = (0..<count).filter { ending[$0] }
        while let number = queue.popLast() {
            for previous in predecessors[number] where !ending[previous] {
                ending[previous] = true
                queue.append(previous)
            }
        }
        return ending
    }
}
