import Model
import Native
import Synchronization

extension TenantFileDecoder {
    func decodeServices(_ node: YAMLNode, path: String) -> [Service] {
        guard let items = reader.list(node, path: path) else { return [] }
        var services: [Service] = []
        var seen: [String: SourceLocation] = [:]
        for (offset, item) in items.enumerated() {
            let indexPath = "\(path)[\(offset)]"
            guard let map = reader.mapping(item, path: indexPath) else { continue }
            let idNode = map.required("id")
            let id = idNode.flatMap { reader.identifier($0, path: join(indexPath, "id")) }
            // Name the service by its id in every later message: services.drain_cleaning.price.
            let servicePath = id.map { join(path, $0) } ?? indexPath
            if id != nil { reader.index.declared.insert(servicePath) }
            var isDuplicate = false
            if let id, let idNode {
                if let first = seen[id] {
                    isDuplicate = true
                    reader.error("duplicate service id \"\(id)\" (first used at \(first.line):\(first.column))", at: idNode, path: servicePath)
                } else {
                    seen[id] = idNode.location
                }
            }
            // A service with a bad or repeated id is still read, to report its other problems.
            let service = decodeService(map, id: id ?? "", path: servicePath)
            if id != nil && !isDuplicate { services.append(service) }
        }
        return services
    }

    private func decodeService(_ map: MappingReader, id: String, path: String) -> Service {
        let scoped = MappingReader(node: map.node, pairs: map.node.mapping ?? [], path: path, reader: reader)
        _ = scoped.value("id")
        let name = scoped.string("name", required: true) ?? id
        // Fields first: price and duration tables and add-ons are keyed by them.
        let ownFields = scoped.mapping("fields").map { decodeFields($0, service: id) } ?? []
        let fields = tenantFields + ownFields
        var pricing = ServicePricing()
        let durationNode = scoped.required("duration")
        var duration = Duration.seconds(3600)
        if let durationNode {
            if durationNode.mapping != nil {
                pricing.durationTable = decodeTable(durationNode, path: join(path, "duration"), fields: fields) { node, at in
                    self.serviceDuration(node, path: at)
                }
                duration = pricing.durationTable.flatMap { $0.entries.values.min() } ?? duration
            } else if let value = serviceDuration(durationNode, path: join(path, "duration")) {
                duration = value
            }
        }
        var price = Money.zero(currency)
        if let priceNode = scoped.required("price") {
            if priceNode.mapping != nil {
                pricing.priceTable = decodeTable(priceNode, path: join(path, "price"), fields: fields) { node, at in
                    self.reader.money(node, path: at, currency: self.currency)
                }
                price = pricing.priceTable.flatMap { $0.entries.values.min() } ?? price
            } else {
                price = reader.money(priceNode, path: join(path, "price"), currency: currency) ?? price
            }
        }
        if let node = scoped.value("add_ons"), let items = reader.list(node, path: join(path, "add_ons")) {
            pricing.addOns = items.enumerated().compactMap { offset, item in
                decodeAddOn(item, path: "\(join(path, "add_ons"))[\(offset)]", fields: fields)
            }
        }
        var service = Service(id: id, name: name, duration: duration, price: price)
        service.fields = ownFields
        service.pricing = pricing
        if let node = scoped.value("hours") {
            if case .string("always")? = node.value {
                service.hours = BusinessHours(ranges: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [TimeRange.parse("00:00-24:00")!]) }))
            } else if let hours = reader.mapping(node, path: join(path, "hours")) {
                service.hours = BusinessHours(ranges: decodeHours(hours))
            }
        }
        if let match = scoped.mapping("match") { service.matchers = decodeMatchers(match) }
        if let node = scoped.value("deposit") { service.deposit = decodeDeposit(node, path: join(path, "deposit"), price: price) }
        if let eligibility = scoped.mapping("eligibility") { service.eligibility = decodeEligibility(eligibility) }
        if let cancellation = scoped.mapping("cancellation") { service.cancellation = decodeCancellation(cancellation) }
        if let recurrence = scoped.mapping("recurrence") { service.recurrence = decodeRecurrence(recurrence) }
        scoped.finish()
        return service
    }

    private func decodeMatchers(_ map: MappingReader) -> ServiceMatchers {
        var matchers = ServiceMatchers()
        matchers.keywords = (map.strings("keywords") ?? []).map { $0.lowercased() }
        matchers.phrases = (map.strings("phrases") ?? []).map { $0.lowercased() }
        if let node = map.value("patterns"), let items = reader.list(node, path: join(map.path, "patterns")) {
            for (offset, item) in items.enumerated() {
                let itemPath = "\(join(map.path, "patterns"))[\(offset)]"
                guard let pattern = reader.string(item, path: itemPath) else { continue }
                if let problem = Self.regexProblem(pattern) {
                    reader.error("not a valid regular expression: \(problem)", at: item, path: itemPath)
                } else {
                    matchers.patterns.append(pattern)
                }
            }
        }
        map.finish()
        return matchers
    }

    // Compiling a pattern only to check it is the slowest part of loading a service, and tenants
    // (and reloads of one tenant) repeat the same patterns: remember the ones that compile. The
    // text, not the compiled regex (`ServiceMatchers.compiledPattern` keeps those for matching):
    // with compiled regexes kept here, LeakSanitizer reported their memory as leaked in the yaml
    // fuzz target, which loads a new pattern with nearly every input.
    private static let validPatterns = Mutex<Set<String>>([])

    static func regexProblem(_ pattern: String) -> String? {
        if validPatterns.withLock({ $0.contains(pattern) }) { return nil }
        do {
            _ = try Regex(pattern)
            validPatterns.withLock { if $0.count < 10_000 { $0.insert(pattern) } }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// `25%` of the quoted total, or a fixed amount such as `50.00`.
    private func decodeDeposit(_ node: YAMLNode, path: String, price: Money) -> Deposit? {
        if case .string(let text)? = node.value, text.hasSuffix("%") {
            return reader.percent(node, path: path, max: .hundred).map(Deposit.percent)
        }
        switch node.value {
        case .int?, .float?:
            return reader.money(node, path: path, currency: currency).map(Deposit.amount)
        default:
            reader.error("expected a percentage like 25% or an amount like 50.00, got \(node.kindDescription)", at: node, path: path)
            return nil
        }
    }

    private func decodeEligibility(_ map: MappingReader) -> Eligibility {
        var eligibility = Eligibility()
        if let node = map.value("postal_codes"), let codes = reader.strings(node, path: join(map.path, "postal_codes")) {
            for (offset, code) in codes.enumerated() {
                let body = code.hasSuffix("*") ? code.dropLast() : Substring(code)
                let valid = !body.isEmpty && body.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == " " || $0 == "-" }
                if !valid {
                    let item = node.sequence?[offset] ?? node
                    reader.error("\"\(code)\" is not a postal code or a prefix ending in * (like 787*)", at: item,
                                 path: "\(join(map.path, "postal_codes"))[\(offset)]")
                }
            }
            eligibility.postalCodes = codes
        }
        if let lead = map.duration("lead_time") { eligibility.leadTime = lead }
        if let node = map.value("weekdays") { eligibility.weekdays = weekdays(node, path: join(map.path, "weekdays")) }
        eligibility.maxPerDay = map.integer("max_per_day", in: 1...1000)
        map.finish()
        return eligibility
    }

    static let weekdayOptions = Weekday.allCases.map { ($0.name, $0) }

    func weekdays(_ node: YAMLNode, path: String) -> Set<Weekday>? {
        guard let items = reader.list(node, path: path) else { return nil }
        return Set(items.enumerated().compactMap { reader.choice($0.element, path: "\(path)[\($0.offset)]", from: Self.weekdayOptions, what: "weekday") })
    }

    func decodeCancellation(_ map: MappingReader) -> CancellationPolicy {
        var rules: [RefundRule] = []
        if let node = map.required("refunds"), let items = reader.list(node, path: join(map.path, "refunds")) {
            var notices: Set<Duration> = []
            for (offset, item) in items.enumerated() {
                let path = "\(join(map.path, "refunds"))[\(offset)]"
                guard let rule = reader.mapping(item, path: path) else { continue }
                let noticeNode = rule.required("notice")
                let notice = noticeNode.flatMap { reader.duration($0, path: join(path, "notice")) }
                let refund = rule.required("refund").flatMap { reader.percent($0, path: join(path, "refund"), max: .hundred) }
                if let notice, !notices.insert(notice).inserted {
                    reader.error("two refund rules for the same notice \(DurationText.format(notice))",
                                 at: noticeNode?.location ?? item.location, path: join(path, "notice"))
                }
                if let notice, let refund { rules.append(RefundRule(notice: notice, refund: refund)) }
                rule.finish()
            }
        }
        let policy = CancellationPolicy(refunds: rules, noShowFee: map.money("no_show_fee", currency: currency),
                                        approvalPolicy: map.string("approval"))
        map.finish()
        return policy
    }
}
