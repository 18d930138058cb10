// What the example tenants' decisions cost per interaction: every pricing rule (with the
// add-ons), every approval policy's condition and every branch case of every flow, evaluated over
// a booking's context as decide.price and the engine see it; and what a condition costs to parse
// and type-check at load. Run by scripts/bench-config (release build).
import Glibc
import Model
import Native
import Routing

let folder = CommandLine.arguments.dropFirst().first ?? "tenants"
let files = ((try? FileSystem.listDirectory(folder)) ?? []).map(\.name).filter { $0.hasSuffix(".yaml") }.sorted()
let loader = TenantConfigLoader(environment: [:])
/// `BENCH_ITERATIONS` shortens the rounds (for a profiler).
let iterations = getenv("BENCH_ITERATIONS").flatMap { Int(String(cString: $0)) } ?? 200_000

/// Median nanoseconds per call of `body` over five rounds of `iterations`.
func measure(iterations: Int, _ body: () -> Int) -> (nanos: Double, sink: Int) {
    var sink = 0
    for _ in 0..<1000 { sink &+= body() }
    var samples: [Double] = []
    for _ in 0..<5 {
        let start = Clock.monotonicNanos()
        for _ in 0..<iterations { sink &+= body() }
        samples.append(Double(Clock.monotonicNanos() - start) / Double(iterations))
    }
    return (samples.sorted()[2], sink)
}

func format(_ nanos: Double) -> String {
    nanos >= 1000 ? String(Int((nanos / 100).rounded())).inserting(".", fromEnd: 1) + " µs" : "\(Int(nanos.rounded())) ns"
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }

    func inserting(_ text: String, fromEnd offset: Int) -> String {
        let index = self.index(endIndex, offsetBy: -offset)
        return String(self[..<index]) + text + String(self[index...])
    }
}

print("tenant                conditions  per interaction (rules+approvals+branches)  parse+check per condition")
for file in files {
    guard let snapshot = try? loader.load(path: folder + "/" + file) else { continue }
    let config = snapshot.config
    guard let service = config.services.first else { continue }
    let zone = config.identity.timeZone
    // A booking's context after the slot and the quote: a returning member on a Saturday morning.
    let context: JSONObject = [
        "interaction": ["channel": "api", "text": "Can you come Saturday morning? It's urgent, we have a dog"],
        "service": ["id": .string(service.id), "price": .int(service.price.minorUnits)],
        "customer": ["is_new": false, "tags": ["member", "regular"]],
        "fields": ["bedrooms": 3, "bathrooms": 2, "extras": ["oven", "windows"], "pets": true, "postal_code": "97214"],
        "slot": ["start": "2030-01-05T16:00:00Z"],
        "price": ["total": 32_500, "base": 26_000],
        "series": ["every_weeks": 2],
    ]
    let scope = ContextScope(context: context, timeZone: zone, hours: config.identity.hours, now: 1_893_000_000_000)
    let approvals = config.approvals.values.compactMap(\.condition)
    let branches = config.flows.values.flatMap { $0.states.values.compactMap(\.branch) }.flatMap(\.cases).map(\.condition)
    let all = config.pricing.rules.map(\.condition) + approvals + branches
    let addOns = service.pricing.addOns.flatMap { $0.lines(["bathrooms": 2, "extras": ["oven", "windows"]], currency: config.identity.currency) }
        .map { PriceAdjustment(ruleID: "add_on", description: $0.label, amount: $0.amount) }
    let base = service.price
    let decide = measure(iterations: iterations) {
        var held = config.pricing.quote(base: base, addOns: addOns, in: scope).adjustments.count
        for condition in approvals + branches where condition.holds(in: scope) { held += 1 }
        return held
    }
    // Load-time cost: parse and type-check every condition's text again.
    var keys = AgentCatalog.conditionKeys
    for field in config.allFields { keys["fields.\(field.name)"] = field.conditionType }
    keys["service.id"] = .choice(config.services.map(\.id))
    let table = ConditionKeys(types: keys, namespaces: AgentCatalog.conditionNamespaces, currency: config.identity.currency)
    let sources = all.map(\.source)
    let parse = measure(iterations: max(1, iterations / 100)) {
        var parsed = 0
        for source in sources {
            var parser = ConditionParser(keys: table)
            if (try? parser.parse(source)) != nil { parsed += 1 }
        }
        return parsed
    }
    let perCondition = sources.isEmpty ? 0 : parse.nanos / Double(sources.count)
    // The sinks keep the optimiser from dropping the work.
    print(config.id.rawValue.padded(22) + String(all.count).padded(12) + format(decide.nanos).padded(44) + format(perCondition)
          + (decide.sink &+ parse.sink == 42 ? " " : ""))
}
