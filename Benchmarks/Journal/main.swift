// What the journal's periodic queries cost as it grows. Fills a SQLite journal with finished
// booking interactions the size of real ones (the request, a context of about 3 KB, 9 steps of
// about 900 B, 3 effect records) spread over the given tenants, through the store's own writes,
// then times what the server asks it on a clock: the scheduler's due() every 250 ms (waits only,
// and with unfinished work as every minute), the /metrics figures per tenant every 10 s, and a
// service's bookings of a day (max_per_day, per booking).
// Run by scripts/bench-e2e --prefill (release build).
//   BenchJournal DB COUNT TENANT[,TENANT...]   (an existing DB is timed as it stands)
import Glibc
import Model
import Native
import Storage

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 3, let count = Int(arguments[1]) else {
    print("usage: BenchJournal DB COUNT TENANT[,TENANT...]")
    exit(2)
}
let path = arguments[0]
let tenants = arguments[2].split(separator: ",").map(String.init)
let store = try SQLiteStore(path: path)

let filler = String(repeating: "x", count: 700)
let context: JSONObject = [
    "service": ["id": "visit", "name": "Visit", "duration_minutes": 60],
    "customer": ["id": "1001", "name": "Bench Customer", "phone": "+15550000000", "email": "bench@example.com", "tags": []],
    "price": ["total": 149, "currency": "USD", "reasons": .array((0..<8).map { .string("rule \($0) applied: \(filler.prefix(120))") })],
    "notes": .string(filler + filler + filler),
]

func fill(from first: Int, to last: Int) async throws {
    // Received over the last 30 days, booked in the past: the journal a busy month leaves.
    let now = Clock.unixMillis()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for n in first..<last {
            if n - first >= 128 { try await group.next() }
            group.addTask {
                let tenant = tenants[n % tenants.count]
                let received = now - 30 * 86_400_000 + Int64(n) * (30 * 86_400_000 / Int64(max(count, 1)))
                let interaction = Interaction(
                    id: InteractionID(unixMillis: received, random: Crypto.randomBytes(10)), tenant: tenant, channel: .api,
                    receivedAt: received, from: .init(phone: "+1555\(1_000_000 + n)", email: nil, name: "Bench \(n)"),
                    text: "please fix it", fields: [:], idempotencyKey: nil)
                _ = try await store.accept(interaction, requestHash: nil)
                var booked = context
                booked["booking"] = ["start": .string(Timestamp.iso8601(seconds: received / 1000 + 86_400)), "uid": .string("bk_\(n)")]
                let steps = (1...9).map { sequence in
                    StepRecord(sequence: sequence, state: "state\(sequence)", agent: "agent.\(sequence)", outcome: .ok,
                               startedAt: received + Int64(sequence), durationMicros: 900,
                               detail: ["decision": ["reasons": .array([.string(filler)])], "calls": []])
                }
                let effects = (1...3).map { index in
                    EffectRecord(key: "\(interaction.id.rawValue):state\(index)#1", interactionID: interaction.id, provider: "calendar",
                                 operation: "book", state: .done, result: ["id": .string("bk_\(n)_\(index)")])
                }
                try await store.commit(steps: steps, effects: effects, tenant: tenant, id: interaction.id,
                                       update: InteractionUpdate(status: n % 20 == 0 ? .failed : .completed, flow: "booking",
                                                                 state: "done", context: booked))
            }
        }
        try await group.waitForAll()
    }
}

/// Median microseconds per call over 5 rounds of `runs` calls.
func measure(_ runs: Int, _ body: () async throws -> Int) async throws -> (micros: Double, result: Int) {
    var result = 0
    for _ in 0..<10 { result = try await body() }
    var samples: [Double] = []
    for _ in 0..<5 {
        let start = Clock.monotonicNanos()
        for _ in 0..<runs { result = try await body() }
        samples.append(Double(Clock.monotonicNanos() - start) / Double(runs) / 1000)
    }
    return (samples.sorted()[2], result)
}

let existing = try await store.interactions(tenant: tenants[0], status: nil, since: nil, customer: nil, limit: 1, cursor: nil)
if existing.records.isEmpty && count > 0 {
    let started = Clock.monotonicNanos()
    try await fill(from: 0, to: count)
    let seconds = Double(Clock.monotonicNanos() - started) / 1e9
    print("filled \(count) interactions in \(Int(seconds)) s (\(Int(Double(count) / seconds))/s)")
}
let now = Clock.unixMillis()
let day = now / 1000 - 10 * 86_400
let figures: [(String, (micros: Double, result: Int))] = [
    ("due(), waits only (every 250 ms)", try await measure(200) { try await store.due(now: now, limit: 256, includeUnfinished: false).count }),
    ("due(), with unfinished work (every minute)", try await measure(200) { try await store.due(now: now, limit: 256, includeUnfinished: true).count }),
    ("unfinished figures, one tenant (every 10 s)", try await measure(200) { try await store.unfinished(tenant: tenants[0]).count }),
    ("bookings of one service on one day", try await measure(200) {
        try await store.bookings(tenant: tenants[0], service: "visit", from: day - day % 86_400, to: day - day % 86_400 + 86_400)
    }),
]
for (name, figure) in figures {
    let millis = (figure.micros).rounded() / 1000
    print("\(name): \(millis) ms (\(figure.result) rows)")
}
