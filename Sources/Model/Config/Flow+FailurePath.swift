extension Flow {
    /// The states from which no way leads to a `completed` state: the failure paths. Entering
    /// one is where the engine runs the compensations owed (docs/engine.md, *Compensation*).
    public var failurePathStates: Set<String> {
        // Backwards from the completed finals: whatever reaches one can still complete.
        var predecessors: [String: [String]] = [:]
        for (name, state) in states {
            let targets: [String]
            switch state.kind {
            case .step(let step): targets = Array(step.transitions.values)
            case .branch(let branch): targets = branch.targets
            case .final: targets = []
            }
            for target in targets { predecessors[target, default: []].append(name) }
        }
        var canComplete = Set(states.compactMap { $0.value.final?.result == .completed ? $0.key : nil })
        var queue = Array(canComplete)
        while let name = queue.popLast() {
            for predecessor in predecessors[name] ?? [] where canComplete.insert(predecessor).inserted { queue.append(predecessor) }
        }
        return Set(states.keys).subtracting(canComplete)
    }
}
