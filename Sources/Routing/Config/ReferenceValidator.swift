import Model

/// Checks that names used in one part of a tenant file exist in another: templates, approval
/// policies, services, systems and operations; that every agent's integration is configured
/// (and every channel the operator is reached on); and that each trigger starts exactly one flow.
struct ReferenceValidator {
    let config: TenantConfig
    let index: LocationIndex
    let log: DiagnosticLog

    func validate() {
        for flow in config.flows.values.sorted(by: { $0.name < $1.name }) {
            checkTriggers(flow)
            for state in flow.states.values {
                guard let step = state.step, let spec = AgentCatalog.spec(named: step.agent) else { continue }
                let path = "flows.\(flow.name).states.\(state.name)"
                checkParameters(step.parameters, spec: spec, path: join(path, "params"))
                checkIntegration(spec, parameters: step.parameters, path: join(path, "agent"))
                if spec.reachesOperator { checkOperatorReach(spec, parameters: step.parameters, statePath: path) }
                checkOptionalOutcomes(step, spec: spec, path: path)
                for (offset, action) in step.compensation.enumerated() {
                    guard let actionSpec = AgentCatalog.spec(named: action.agent) else { continue }
                    let actionPath = "\(path).compensate[\(offset)]"
                    checkParameters(action.parameters, spec: actionSpec, path: join(actionPath, "params"))
                    checkIntegration(actionSpec, parameters: action.parameters, path: join(actionPath, "agent"))
                }
            }
        }
        checkTriggerOverlaps()
        checkServices()
        checkOperatorChannels()
        checkRecurringEventTypes()
        for policy in config.approvals.values.sorted(by: { $0.name < $1.name }) {
            if let template = policy.template {
                checkTemplate(template, audience: .operator, user: "an approval request", path: "approvals.\(policy.name).template")
            }
        }
    }

    /// `pricing.on_increase: ask` asks the customer before booking at a higher price, so every
    /// booking state needs somewhere to go when they say no.
    private func checkOptionalOutcomes(_ step: FlowStep, spec: AgentSpec, path: String) {
        guard spec.optionalOutcomes.contains(.declined), step.transitions[.declined] == nil, config.pricing.onIncrease == .ask else { return }
        let message = "\(spec.name) reports \"declined\" when the customer turns down a higher price (pricing.on_increase is ask), "
            + "but the state has no transition for it; add \"declined: <state>\" under \"on:\" (a state that tells the customer "
            + "nothing was booked), or set pricing.on_increase to apply or keep_quote"
        log.error(message, at: index.keyLocation(path) ?? index.valueLocation(path) ?? SourceLocation(file: "", line: 1, column: 1), path: path)
    }

    func error(_ message: String, _ path: String) {
        log.error(message, at: index.valueLocation(path) ?? SourceLocation(file: "", line: 1, column: 1), path: path)
    }

    private func checkParameters(_ parameters: [String: StepParameter], spec: AgentSpec, path: String) {
        for parameter in spec.parameters {
            guard let name = parameters[parameter.name]?.text else { continue }
            let parameterPath = join(path, parameter.name)
            switch parameter.kind {
            case .template(let audience):
                checkTemplate(name, audience: audience, user: spec.name, path: parameterPath)
            case .approvalPolicy where config.approvals[name] == nil && !index.declared.contains("approvals.\(name)"):
                error("no approval policy \"\(name)\" under approvals:\(EditDistance.hint(for: name, among: config.approvals.keys))", parameterPath)
            case .system where config.integrations.systems[name] == nil && !index.declared.contains("integrations.systems.\(name)"):
                error("no system \"\(name)\" under integrations.systems\(EditDistance.hint(for: name, among: config.integrations.systems.keys))",
                      parameterPath)
            case .operation:
                guard let systemName = parameters["integration"]?.text, let system = config.integrations.systems[systemName],
                      system.operations[name] == nil else { continue }
                error("system \"\(systemName)\" has no operation \"\(name)\"\(EditDistance.hint(for: name, among: system.operations.keys))",
                      parameterPath)
            case .field where !config.allFields.contains(where: { $0.name == name }):
                error("no field \"\(name)\" under fields:\(EditDistance.hint(for: name, among: config.allFields.map(\.name)))", parameterPath)
            default:
                break
            }
        }
        if spec.name == "conversation.ask" {
            let expectsField = parameters["expect"]?.text == "field"
            if expectsField, parameters["field"] == nil {
                error("expect: field needs the field to ask for: field: <name of a declared field>", join(path, "expect"))
            } else if !expectsField, parameters["field"] != nil {
                error("field: is read only with expect: field", join(path, "field"))
            }
        }
    }

    private func checkTemplate(_ name: String, audience: MessageTemplate.Audience, user: String, path: String) {
        guard let template = config.templates[name] else {
            if index.declared.contains("templates.\(name)") { return }
            error("no template \"\(name)\" under templates:\(EditDistance.hint(for: name, among: config.templates.keys))", path)
            return
        }
        if template.audience != audience {
            error("template \"\(name)\" is for the \(template.audience.rawValue), but \(user) sends \(audience.rawValue) templates", path)
        }
    }

    /// The integration (and channel) an agent needs must be configured.
    private func checkIntegration(_ spec: AgentSpec, parameters: [String: StepParameter], path: String) {
        var role = spec.integration
        if spec.name == "notify.customer", let channel = parameters["channel"]?.text {
            role = channel == "email" ? .email : .messaging
        } else if spec.name == "notify.customer", config.integrations[.messaging] == nil, config.integrations[.email] != nil {
            role = .email
        }
        guard let role else { return }
        if config.integrations[role] == nil, !index.declared.contains("integrations.\(role.rawValue)") {
            let article = role == .operator || role == .email ? "an" : "a"
            error("\(spec.name) needs \(article) \(role.rawValue) integration: add integrations.\(role.rawValue) ("
                  + role.providers.map(\.rawValue).joined(separator: " or ") + ")", path)
        }
        if role == .messaging, config.channels.sms == nil, !index.declared.contains("channels.sms") {
            error("\(spec.name) sends SMS: add channels.sms.number", path)
        }
        if role == .email, config.channels.email == nil, !index.declared.contains("channels.email") {
            error("\(spec.name) sends email: add channels.email.from", path)
        }
    }

    private func checkTriggers(_ flow: Flow) {
        let path = "flows.\(flow.name).serves"
        if flow.serves.isEmpty { error("this flow is never started: list channels or events under serves:", path) }
        if flow.serves.channels.contains(.sms), config.channels.webhooks[.twilio] == nil {
            error("serving sms needs channels.webhooks.twilio (to verify Twilio's signature on inbound texts)", join(path, "channels"))
        }
        for source in [WebhookSource.stripe, .calcom, .generic]
        where flow.serves.events.contains(where: { $0.hasPrefix(source.rawValue + ".") }) && config.channels.webhooks[source] == nil {
            error("serving \(source.rawValue) events needs channels.webhooks.\(source.rawValue) (its signing secret)", join(path, "events"))
        }
    }

    /// Each event, each (channel, service) and each channel's default belongs to one flow.
    private func checkTriggerOverlaps() {
        var owners: [String: String] = [:]
        for flow in config.flows.values.sorted(by: { $0.name < $1.name }) {
            var claims = flow.serves.events.map { ("event \($0)", "events") }
            for channel in flow.serves.channels.sorted() {
                if flow.serves.services.isEmpty {
                    claims.append(("the default flow for \(channel.rawValue)", "channels"))
                } else {
                    claims += flow.serves.services.sorted().map { ("\(channel.rawValue) requests for \($0)", "services") }
                }
            }
            for (claim, key) in claims {
                if let owner = owners[claim] {
                    error("flows \"\(owner)\" and \"\(flow.name)\" both serve \(claim); give it to one of them", "flows.\(flow.name).serves.\(key)")
                } else {
                    owners[claim] = flow.name
                }
            }
        }
    }

    private func checkServices() {
        let ids = Set(config.services.map(\.id))
        for service in config.services {
            if let policy = service.cancellation?.approvalPolicy, config.approvals[policy] == nil,
               !index.declared.contains("approvals.\(policy)") {
                error("no approval policy \"\(policy)\" under approvals:\(EditDistance.hint(for: policy, among: config.approvals.keys))",
                      "services.\(service.id).cancellation.approval")
            }
        }
        guard let scheduling = config.integrations[.scheduling], scheduling.provider == .calcom else { return }
        for id in scheduling.eventTypes.keys.sorted() where !ids.contains(id) {
            error("no service \"\(id)\" under services:\(EditDistance.hint(for: id, among: ids))", "integrations.scheduling.event_types.\(id)")
        }
        let missing = config.services.map(\.id).filter { scheduling.eventTypes[$0] == nil }
        if !missing.isEmpty {
            error("Cal.com needs an event type for every service; missing: " + missing.joined(separator: ", "),
                  index.resolve("integrations.scheduling.event_types") != nil ? "integrations.scheduling.event_types" : "integrations.scheduling")
        }
    }
}
