import Model
import Native

extension TenantFileDecoder {
    static let agentOptions = AgentCatalog.names.map { ($0, $0) }

    /// Flows are decoded after services, so triggers can name them.
    func decodeFlows(_ map: MappingReader) -> [String: Flow] {
        named(map) { name, member in decodeFlow(member, name: name) }
    }

    private func decodeFlow(_ map: MappingReader, name: String) -> Flow? {
        var flow = Flow(name: name, start: "", states: [:], serves: FlowTriggers())
        if let serves = map.mapping("serves") {
            flow.serves = decodeTriggers(serves)
        } else {
            reader.error("missing required key \"serves\": say which channels, events or services start this flow",
                         at: map.keyLocation, path: map.path)
        }
        flow.start = map.string("start", required: true) ?? ""
        flow.deadline = map.duration("deadline")
        if let states = map.mapping("states", required: true) {
            flow.states = named(states) { stateName, member in decodeState(member, name: stateName) }
        }
        map.finish()
        return flow
    }

    private func decodeTriggers(_ map: MappingReader) -> FlowTriggers {
        var triggers = FlowTriggers()
        if let node = map.value("channels"), let items = reader.list(node, path: join(map.path, "channels")) {
            let options = InteractionChannel.allCases.map { ($0.rawValue, $0) }
            for (offset, item) in items.enumerated() {
                if let channel = reader.choice(item, path: "\(join(map.path, "channels"))[\(offset)]", from: options, what: "channel") {
                    triggers.channels.insert(channel)
                }
            }
        }
        if let node = map.value("events"), let items = reader.list(node, path: join(map.path, "events")) {
            for (offset, item) in items.enumerated() {
                let path = "\(join(map.path, "events"))[\(offset)]"
                guard let event = reader.string(item, path: path) else { continue }
                if FlowTriggers.isKnownEvent(event) {
                    triggers.events.insert(event)
                } else {
                    let hint = EditDistance.suggestion(for: event, among: FlowTriggers.knownEvents).map { " (did you mean \"\($0)\"?)" }
                        ?? "; known events: " + FlowTriggers.knownEvents.joined(separator: ", ") + ", generic.<type>"
                    reader.error("unknown event \"\(event)\"\(hint)", at: item, path: path)
                }
            }
        }
        if let node = map.value("services"), let items = reader.list(node, path: join(map.path, "services")) {
            for (offset, item) in items.enumerated() {
                let path = "\(join(map.path, "services"))[\(offset)]"
                guard let service = reader.string(item, path: path) else { continue }
                if serviceIDs.contains(service) || reader.index.declared.contains("services.\(service)") {
                    triggers.services.insert(service)
                } else {
                    reader.error("no service \"\(service)\" under services:\(EditDistance.hint(for: service, among: serviceIDs))",
                                 at: item, path: path)
                }
            }
        }
        if !triggers.services.isEmpty && triggers.channels.isEmpty && map.contains("services") {
            reader.error("services are chosen within channels: list the channels this flow serves them on", at: map.keyLocation, path: map.path)
        }
        map.finish()
        return triggers
    }

    private func decodeState(_ map: MappingReader, name: String) -> FlowState? {
        if let node = map.value("final") {
            let options = FlowResult.allCases.map { ($0.rawValue, $0) }
            let result = reader.choice(node, path: join(map.path, "final"), from: options, what: "final result")
            let reason = map.string("reason")
            for key in ["agent", "params", "on", "next", "timeout", "compensate"] where map.contains(key) {
                reader.error("a final state runs no agent and has no transitions; remove \"\(key)\"",
                             at: map.keyLocation(of: key) ?? map.keyLocation, path: join(map.path, key))
                _ = map.value(key)
            }
            map.finish()
            return result.map { FlowState(name: name, kind: .final(FinalState(result: $0, reason: reason))) }
        }
        if let node = map.value("branch") { return decodeBranch(node, map: map, name: name) }
        guard let agentNode = map.required("agent", what: "or \"final: completed|failed\" for a final state, or \"branch:\"") else {
            map.finish()
            return nil
        }
        let options = Self.agentOptions
        let agent = reader.choice(agentNode, path: join(map.path, "agent"), from: options, what: "agent")
        let spec = agent.flatMap(AgentCatalog.spec(named:))
        var step = FlowStep(agent: agent ?? "", transitions: [:])
        if let spec {
            step.parameters = decodeParameters(map.value("params"), spec: spec, path: join(map.path, "params"), owner: map)
        } else {
            _ = map.value("params")  // unknown agent: its parameters cannot be checked, and are not "unknown keys"
        }
        step.transitions = decodeTransitions(map, spec: spec)
        step.timeout = map.duration("timeout")
        if let node = map.value("compensate"), let items = reader.list(node, path: join(map.path, "compensate")) {
            for (offset, item) in items.enumerated() {
                let path = "\(join(map.path, "compensate"))[\(offset)]"
                guard let action = reader.mapping(item, path: path),
                      let agentNode = action.required("agent"),
                      let compensating = reader.choice(agentNode, path: join(path, "agent"), from: options, what: "agent"),
                      let compensatingSpec = AgentCatalog.spec(named: compensating) else { continue }
                let parameters = decodeParameters(action.value("params"), spec: compensatingSpec, path: join(path, "params"), owner: action)
                step.compensation.append(CompensationAction(agent: compensating, parameters: parameters))
                action.finish()
            }
        }
        map.finish()
        return FlowState(name: name, kind: .step(step))
    }

    /// `branch: [{when: condition, to: state}, ...]` and `else: state`.
    private func decodeBranch(_ node: YAMLNode, map: MappingReader, name: String) -> FlowState? {
        let path = join(map.path, "branch")
        var cases: [FlowBranch.Case] = []
        if let items = reader.list(node, path: path) {
            if items.isEmpty { reader.error("a branch needs at least one case: - when: ... to: state", at: node, path: path) }
            for (offset, item) in items.enumerated() {
                let itemPath = "\(path)[\(offset)]"
                guard let entry = reader.mapping(item, path: itemPath) else { continue }
                let condition = entry.required("when").flatMap { self.condition($0, path: join(itemPath, "when")) }
                let target = entry.string("to", required: true)
                entry.finish()
                if let condition, let target { cases.append(FlowBranch.Case(condition: condition, target: target)) }
            }
        }
        let otherwise = map.string("else", required: true)
        for key in ["agent", "params", "on", "next", "compensate", "final"] where map.contains(key) {
            reader.error("a branch state runs no agent: its ways out are its cases and else; remove \"\(key)\"",
                         at: map.keyLocation(of: key) ?? map.keyLocation, path: join(map.path, key))
            _ = map.value(key)
        }
        map.finish()
        guard let otherwise else { return nil }
        return FlowState(name: name, kind: .branch(FlowBranch(cases: cases, otherwise: otherwise)))
    }

    private func decodeTransitions(_ map: MappingReader, spec: AgentSpec?) -> [Outcome: String] {
        var explicit: [Outcome: String] = [:]
        var hasUnknownOutcome = false
        if let on = map.mapping("on") {
            for entry in on.entries {
                guard let outcome = Outcome(rawValue: entry.key) else {
                    hasUnknownOutcome = true
                    let names = Outcome.allCases.map(\.rawValue)
                    reader.error("unknown outcome \"\(entry.key)\"\(EditDistance.hint(for: entry.key, among: names)); outcomes are "
                                 + names.joined(separator: ", "), at: entry.keyNode, path: entry.path)
                    continue
                }
                if let spec, !spec.outcomes.contains(outcome) {
                    reader.error("\(spec.name) never reports \(outcome); it reports "
                                 + spec.outcomes.map(\.rawValue).joined(separator: ", "), at: entry.keyNode, path: entry.path)
                    continue
                }
                if let target = reader.string(entry.value, path: entry.path) { explicit[outcome] = target }
            }
        }
        let fallback = map.string("next")
        guard let spec else {
            // An unknown agent (reported): keep its transitions so the rest of the graph checks out.
            for outcome in Outcome.allCases where explicit[outcome] == nil { explicit[outcome] = fallback }
            return explicit
        }
        var transitions: [Outcome: String] = [:]
        var missing: [Outcome] = []
        for outcome in spec.outcomes {
            if let target = explicit[outcome] ?? fallback {
                transitions[outcome] = target
            } else if !spec.optionalOutcomes.contains(outcome) {
                missing.append(outcome)
            }
        }
        // A misspelt outcome is already reported, and is most likely the one missing.
        if !missing.isEmpty && !hasUnknownOutcome {
            let list = missing.map { "\"\($0)\"" }.joined(separator: ", ")
            reader.error("\(spec.name) can report \(list) but the state has no transition for \(missing.count == 1 ? "it" : "them"); "
                         + "add \(missing.count == 1 ? "it" : "them") under \"on:\" or give \"next:\" for every other outcome",
                         at: map.keyLocation, path: map.path)
        }
        if fallback != nil, spec.outcomes.allSatisfy({ explicit[$0] != nil }) {
            reader.error("\"next\" is never used: every outcome of \(spec.name) has its own transition under \"on:\"",
                         at: map.keyLocation(of: "next") ?? map.keyLocation, path: join(map.path, "next"))
        }
        return transitions
    }

    private func decodeParameters(_ node: YAMLNode?, spec: AgentSpec, path: String, owner: MappingReader) -> [String: StepParameter] {
        var parameters: [String: StepParameter] = [:]
        if let node, spec.parameters.isEmpty, node.value != .null {
            reader.error("\(spec.name) takes no parameters", at: owner.keyLocation(of: "params") ?? node.location, path: path)
            return parameters
        }
        let map = node.flatMap { reader.mapping($0, path: path) }
        for parameter in spec.parameters {
            let parameterPath = join(path, parameter.name)
            guard let value = map?.value(parameter.name) else {
                if parameter.isRequired {
                    reader.error("\(spec.name) needs the parameter \"\(parameter.name)\" under \"params:\"",
                                 at: owner.keyLocation(of: "params") ?? owner.keyLocation, path: path)
                }
                continue
            }
            if let decoded = decodeParameter(value, kind: parameter.kind, path: parameterPath) { parameters[parameter.name] = decoded }
        }
        map?.finish()
        return parameters
    }

    private func decodeParameter(_ node: YAMLNode, kind: ParameterSpec.Kind, path: String) -> StepParameter? {
        switch kind {
        case .money: return reader.money(node, path: path, currency: currency).map { .money($0) }
        case .integer(let range): return reader.integer(node, path: path, in: range).map { .integer($0) }
        case .duration: return reader.duration(node, path: path).map { .duration($0) }
        case .approvalPolicy, .template, .system, .operation, .field: return reader.string(node, path: path).map { .name($0) }
        case .choice(let options): return reader.choice(node, path: path, from: options.map { ($0, $0) }, what: "value").map { .choice($0) }
        case .choices(let options): return reader.choices(node, path: path, from: options.map { ($0, $0) }, what: "value").map { .choices($0) }
        case .templateMap:
            guard let map = reader.mapping(node, path: path) else { return nil }
            var templates: [String: Template] = [:]
            for entry in map.entries {
                if let template = reader.template(entry.value, path: entry.path) { templates[entry.key] = template }
            }
            return .templates(templates)
        }
    }
}
