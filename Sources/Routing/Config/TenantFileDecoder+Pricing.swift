import Model
import Native

extension TenantFileDecoder {
    func decodePricing(_ map: MappingReader) -> PricingRules {
        var pricing = PricingRules()
        if let node = map.value("rounding") {
            let options = RoundingRule.allCases.map { ($0.rawValue, $0) }
            pricing.rounding = reader.choice(node, path: "pricing.rounding", from: options, what: "rounding") ?? .halfUp
        }
        if let node = map.value("on_increase") {
            let options = PriceIncrease.allCases.map { ($0.rawValue, $0) }
            pricing.onIncrease = reader.choice(node, path: "pricing.on_increase", from: options, what: "policy")
        }
        if let node = map.value("rules"), let items = reader.list(node, path: "pricing.rules") {
            var seen: Set<String> = []
            for (offset, item) in items.enumerated() {
                guard let rule = reader.mapping(item, path: "pricing.rules[\(offset)]") else { continue }
                let idNode = rule.required("id")
                let id = idNode.flatMap { reader.identifier($0, path: "pricing.rules[\(offset)].id") }
                let path = id.map { "pricing.rules.\($0)" } ?? "pricing.rules[\(offset)]"
                if let id, !seen.insert(id).inserted {
                    reader.error("duplicate pricing rule id \"\(id)\"", at: idNode?.location ?? item.location, path: path)
                }
                if let decoded = decodeRule(rule, id: id ?? "", path: path) { pricing.rules.append(decoded) }
            }
        }
        map.finish()
        return pricing
    }

    private func decodeRule(_ map: MappingReader, id: String, path: String) -> PricingRule? {
        let scoped = MappingReader(node: map.node, pairs: map.node.mapping ?? [], path: path, reader: reader)
        _ = scoped.value("id")
        let description = scoped.string("description") ?? id
        let surcharge = scoped.value("surcharge")
        let discount = scoped.value("discount")
        var kind = PricingRule.Kind.surcharge
        var adjustment: PricingRule.Adjustment?
        switch (surcharge, discount) {
        case (let node?, nil):
            adjustment = decodeAdjustment(node, path: join(path, "surcharge"), max: Percent(basisPoints: 100_000))
        case (nil, let node?):
            kind = .discount
            adjustment = decodeAdjustment(node, path: join(path, "discount"), max: .hundred)
        case (_?, _?):
            reader.error("a rule is either a surcharge or a discount, not both", at: scoped.node, path: path)
        case (nil, nil):
            reader.error("missing \"surcharge\" or \"discount\" (an amount like 25.00 or a percentage like 10%)", at: scoped.node, path: path)
        }
        var condition = ConditionExpression(source: "true", condition: .constant(true))
        if let when = scoped.value("when") {
            let whenPath = join(path, "when")
            if when.mapping != nil {
                if let map = reader.mapping(when, path: whenPath), let decoded = decodeShorthand(map, at: when) { condition = decoded }
            } else if let decoded = self.condition(when, path: whenPath) {
                condition = decoded
            }
        }
        scoped.finish()
        guard let adjustment else { return nil }
        return PricingRule(id: id, description: description, kind: kind, adjustment: adjustment, condition: condition)
    }

    private func decodeAdjustment(_ node: YAMLNode, path: String, max: Percent) -> PricingRule.Adjustment? {
        if case .string(let text)? = node.value, text.hasSuffix("%") {
            return reader.percent(node, path: path, max: max).map { .percent($0) }
        }
        return reader.money(node, path: path, currency: currency).map { .amount($0) }
    }

    /// The `when:` mapping of closed-list conditions, read as the condition it stands for: every
    /// listed condition must hold, a list holds when any entry does.
    private func decodeShorthand(_ map: MappingReader, at node: YAMLNode) -> ConditionExpression? {
        var parts: [String] = []
        if let node = map.value("time_of_day") {
            let path = join(map.path, "time_of_day")
            let items = node.sequence ?? [node]
            let ranges: [String] = items.enumerated().compactMap { offset, item in
                guard let text = reader.string(item, path: path) else { return nil }
                guard let range = TimeRange.parse(text) else {
                    reader.error("expected a time range like 18:00-08:00, got \"\(text)\"", at: item, path: node.sequence == nil ? path : "\(path)[\(offset)]")
                    return nil
                }
                return range.description
            }
            if !ranges.isEmpty { parts.append("slot.time in [\(ranges.joined(separator: ", "))]") }
        }
        if let node = map.value("weekdays"), let days = weekdays(node, path: join(map.path, "weekdays")), !days.isEmpty {
            parts.append("slot.weekday in [\(days.sorted().map(\.name).joined(separator: ", "))]")
        }
        if let words = map.strings("urgency_words"), !words.isEmpty {
            parts.append("(" + words.map { "interaction.text contains \(Self.quoted($0.lowercased()))" }.joined(separator: " or ") + ")")
        }
        if let tags = map.strings("customer_tags"), !tags.isEmpty {
            parts.append("customer.tags in [\(tags.map(Self.quoted).joined(separator: ", "))]")
        }
        if let node = map.value("services"), let services = reader.strings(node, path: join(map.path, "services")) {
            for (offset, service) in services.enumerated() where !serviceIDs.contains(service) {
                reader.error("no service \"\(service)\" under services:\(EditDistance.hint(for: service, among: serviceIDs))",
                             at: node.sequence?[offset] ?? node, path: join(map.path, "services"))
            }
            let known = services.filter(serviceIDs.contains)
            if !known.isEmpty { parts.append("service.id in [\(known.joined(separator: ", "))]") }
        }
        if let outside = map.bool("outside_business_hours") { parts.append(outside ? "not slot.within_hours" : "slot.within_hours") }
        map.finish()
        guard !parts.isEmpty else { return ConditionExpression(source: "true", condition: .constant(true)) }
        let source = parts.joined(separator: " and ")
        var parser = ConditionParser(keys: conditionKeys)
        do {
            return try parser.parse(source)
        } catch {
            reader.error("this when: reads as `\(source)`, which does not check: \(error.message)", at: node, path: map.path)
            return nil
        }
    }

    static func quoted(_ text: String) -> String { text.contains("\"") ? "'\(text)'" : "\"\(text)\"" }

    func decodeApprovals(_ map: MappingReader) -> [String: ApprovalPolicy] {
        named(map) { name, member in
            let description = member.string("description", required: true) ?? name
            let timeout = member.duration("timeout", required: true) ?? .seconds(3600)
            var policy = ApprovalPolicy(name: name, description: description, above: member.money("above", currency: currency),
                                        timeout: timeout, template: member.string("template"))
            policy.condition = member.value("when").flatMap { condition($0, path: join(member.path, "when")) }
            member.finish()
            return policy
        }
    }

    func decodeTemplates(_ map: MappingReader) -> [String: MessageTemplate] {
        named(map) { name, member in
            let options = MessageTemplate.Audience.allCases.map { ($0.rawValue, $0) }
            let audience = member.required("audience").flatMap {
                reader.choice($0, path: join(member.path, "audience"), from: options, what: "audience")
            }
            let subject = member.template("subject")
            let text = member.template("text", required: true)
            let say = member.template("say")
            if say != nil, let audience, audience != .customer {
                reader.error("only customer templates are spoken to callers; remove say: or make the audience customer",
                             at: member.keyLocation(of: "say") ?? member.keyLocation, path: join(member.path, "say"))
            }
            member.finish()
            guard let audience, let text else { return nil }
            return MessageTemplate(name: name, audience: audience, subject: subject, text: text, say: say)
        }
    }
}
