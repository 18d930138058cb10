import Model

/// Checks that every template a flow state uses reads only context keys that are set on every
/// path to that state: the always-available keys, and what the agents before it provide for the
/// outcomes taken (`AgentCatalog`). A variable with a `default` may be absent on some paths, but
/// must still be a key some step can set.
struct TemplateScopeValidator {
    let config: TenantConfig
    let graphs: [String: FlowGraph]
    let index: LocationIndex
    let log: DiagnosticLog

    /// One template a state renders, and keys only it may read (a system's credentials).
    private struct Use {
        var path: String
        var template: Template
        var extraKeys: [String] = []
    }

    func validate() {
        let extra = httpKeys()
        let table = extra.isEmpty ? Self.catalogKeys : ContextKeys(Self.catalogKeys.names + extra)
        let everything = table.mask(table.names)
        // What each state renders, worked out once: (state path, its own uses, its compensations' uses).
        let flows = config.flows.values.sorted { $0.name < $1.name }
        let sites = flows.map { flow in
            flow.states.values.sorted { $0.name < $1.name }.compactMap { state -> (FlowState, FlowStep, [Use], [Use])? in
                guard let step = state.step else { return nil }
                let statePath = "flows.\(flow.name).states.\(state.name)"
                let compensations = step.compensation.enumerated().flatMap { offset, action in
                    uses(action.agent, action.parameters, statePath: "\(statePath).compensate[\(offset)]")
                }
                return (state, step, uses(step.agent, step.parameters, statePath: statePath), compensations)
            }
        }
        // Typos first, in every template whether or not a reachable state uses it.
        var checked: Set<String> = []
        let all = config.templates.keys.sorted().flatMap(messageUses) + sites.flatMap { $0.flatMap { $0.2 + $0.3 } }
        for use in all where checked.insert(use.path).inserted { checkKnown(use, known: everything, table: table) }
        for (flow, states) in zip(flows, sites) {
            guard let graph = graphs[flow.name] else { continue }
            let available = availability(in: graph, table: table)
            let failurePath = flow.failurePathStates
            let undone = table.mask(AgentCatalog.compensationKeys)
            for (state, step, stateUses, compensationUses) in states {
                guard var keys = available[state.name] else { continue }
                if failurePath.contains(state.name) { keys = keys.union(undone) }
                let site = "flow \"\(flow.name)\" state \"\(state.name)\""
                for use in stateUses { check(use, available: keys, known: everything, table: table, site: site) }
                // Compensations run after this step succeeded, when a later one fails.
                let afterSuccess = keys.union(table.mask(provided(step, on: .ok)))
                for use in compensationUses {
                    check(use, available: afterSuccess, known: everything, table: table, site: site + " (compensation)")
                }
            }
        }
    }

    private func provided(_ step: FlowStep, on outcome: Outcome) -> [String] {
        guard let spec = AgentCatalog.spec(named: step.agent) else { return [] }
        return spec.providedKeys(on: outcome, parameters: step.parameters, responseFields: responseFields(step.parameters))
    }

    private func responseFields(_ parameters: [String: StepParameter]) -> [String] {
        guard let system = parameters["integration"]?.text, let operation = parameters["operation"]?.text else { return [] }
        return config.integrations.systems[system]?.operations[operation]?.response.keys.sorted() ?? []
    }

    /// Keys set on every path to each reachable state (a forward must-analysis to a fixpoint).
    private func availability(in graph: FlowGraph, table: ContextKeys) -> [String: ContextKeys.Mask] {
        guard let start = graph.start else { return [:] }
        // What each state's step adds per transition, computed once.
        let adds: [[ContextKeys.Mask]] = graph.edges.enumerated().map { number, edges in
            guard let step = graph.state(number)?.step else { return edges.map { _ in ContextKeys.Mask() } }
            return edges.map { table.mask(provided(step, on: $0.outcome)) }
        }
        var available = [ContextKeys.Mask?](repeating: nil, count: graph.count)
        available[start] = table.mask(AgentCatalog.alwaysAvailable)
        var queue = [start]
        while let number = queue.popLast() {
            guard let keys = available[number] else { continue }
            for (index, edge) in graph.edges[number].enumerated() {
                let incoming = keys.union(adds[number][index])
                let merged = available[edge.target].map { $0.intersection(incoming) } ?? incoming
                if merged != available[edge.target] {
                    available[edge.target] = merged
                    queue.append(edge.target)
                }
            }
        }
        var result: [String: ContextKeys.Mask] = [:]
        for (number, keys) in available.enumerated() { if let keys { result[graph.names[number]] = keys } }
        return result
    }

    private func uses(_ agent: String, _ parameters: [String: StepParameter], statePath: String) -> [Use] {
        guard let spec = AgentCatalog.spec(named: agent) else { return [] }
        var uses: [Use] = []
        for parameter in spec.parameters {
            switch (parameter.kind, parameters[parameter.name]) {
            case (.template, .name(let name)?):
                uses += messageUses(name)
            case (.approvalPolicy, .name(let name)?) where agent == "approval.request":
                if let template = config.approvals[name]?.template { uses += messageUses(template) }
            case (.templateMap, .templates(let templates)?):
                uses += templates.sorted { $0.key < $1.key }.map { Use(path: "\(statePath).params.\(parameter.name).\($0.key)", template: $0.value) }
            default:
                break
            }
        }
        if agent == "http.call", let name = parameters["integration"]?.text, let system = config.integrations.systems[name],
           let operationName = parameters["operation"]?.text, let operation = system.operations[operationName] {
            let credentials = system.credentials.keys.map { "credentials.\($0)" }
            let base = "integrations.systems.\(name)"
            let operationPath = "\(base).operations.\(operationName)"
            var templates = system.headers.map { ("\(base).headers.\($0.key)", $0.value) }
            templates += operation.headers.map { ("\(operationPath).headers.\($0.key)", $0.value) }
            templates.append(("\(operationPath).path", operation.path))
            if let body = operation.body { templates.append(("\(operationPath).body", body)) }
            uses += templates.sorted { $0.0 < $1.0 }.map { Use(path: $0.0, template: $0.1, extraKeys: credentials) }
        }
        return uses
    }

    private func messageUses(_ name: String) -> [Use] {
        guard let message = config.templates[name] else { return [] }
        var uses = [Use(path: "templates.\(name).text", template: message.text)]
        if let subject = message.subject { uses.append(Use(path: "templates.\(name).subject", template: subject)) }
        if let say = message.say { uses.append(Use(path: "templates.\(name).say", template: say)) }
        return uses
    }

    private func location(of variable: TemplateVariable, in use: Use) -> SourceLocation {
        index.textOrigin(use.path)?.locate(line: variable.line, column: variable.column)
            ?? index.location(use.path) ?? SourceLocation(file: "", line: 1, column: 1)
    }

    /// Reports variables no step, interaction or system credential can ever set.
    private func checkKnown(_ use: Use, known: ContextKeys.Mask, table: ContextKeys) {
        let extra = Set(use.extraKeys)
        for variable in use.template.variables where !table.covers(known, variable.path) && !Self.covers(extra, variable.path) {
            let candidates = (table.names + use.extraKeys).map { $0.hasSuffix(".*") ? String($0.dropLast(2)) : $0 }
            log.error("no step provides {{\(variable.path)}}\(EditDistance.hint(for: variable.path, among: candidates))",
                      at: location(of: variable, in: use), path: use.path)
        }
    }

    /// Reports variables not set on every path to the state that renders the template.
    private func check(_ use: Use, available: ContextKeys.Mask, known: ContextKeys.Mask, table: ContextKeys, site: String) {
        let extra = Set(use.extraKeys)
        for variable in use.template.variables {
            // Keys nothing can set were reported by checkKnown.
            guard table.covers(known, variable.path) || Self.covers(extra, variable.path) else { continue }
            if variable.hasDefault || table.covers(available, variable.path) || Self.covers(extra, variable.path) { continue }
            log.error("{{\(variable.path)}} is not set on every path to \(site)\(providers(of: variable.path)); "
                      + "change the flow or write {{\(variable.path) | default: \"…\"}}", at: location(of: variable, in: use), path: use.path)
        }
    }

    /// ` (decide.slot sets it on ok)`
    private func providers(of key: String) -> String {
        if Self.covers(Set(AgentCatalog.compensationKeys), key) { return " (the engine sets it on failure paths only)" }
        let setters = AgentCatalog.all.compactMap { spec -> String? in
            let outcomes = spec.outcomes.filter { outcome in
                let keys = spec.providedKeys(on: outcome, parameters: ["expect": .choice("slot_choice")])
                return Self.covers(Set(keys), key)
            }
            return outcomes.isEmpty ? nil : "\(spec.name) sets it on " + outcomes.map(\.rawValue).joined(separator: "/")
        }
        return setters.isEmpty ? "" : " (" + setters.joined(separator: "; ") + ")"
    }

    /// True when `path` is one of `keys`, lies under one (`customer.tags.0` under `customer.tags`)
    /// or under an open namespace (`fields.*`).
    static func covers(_ keys: Set<String>, _ path: String) -> Bool {
        if keys.contains(path) { return true }
        var current = Substring(path)
        while let dot = current.lastIndex(of: ".") {
            current = current[..<dot]
            if keys.contains(String(current)) || keys.contains(current + ".*") { return true }
        }
        return false
    }

    /// Every key the interaction or a catalogue agent can set.
    static let catalogKeys: ContextKeys = {
        var keys = AgentCatalog.alwaysAvailable + AgentCatalog.compensationKeys
        for spec in AgentCatalog.all {
            for outcome in spec.outcomes { keys += spec.providedKeys(on: outcome, parameters: ["expect": .choice("slot_choice")]) }
        }
        return ContextKeys(keys)
    }()

    /// The keys this tenant's generic HTTP operations can set.
    private func httpKeys() -> [String] {
        config.integrations.systems.values.flatMap { system in
            system.operations.values.flatMap { operation in operation.response.keys.sorted().map { "http.\(operation.name).\($0)" } }
        }.sorted()
    }
}
