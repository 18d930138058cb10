import Model

/// What `what-if` compares between a recorded interaction and its replay: where it ended, the
/// path it took, the price it quoted and the messages it sent.
struct OutcomeSummary: Sendable, Equatable {
    struct Message: Sendable, Equatable {
        var audience: String
        var channel: String
        var to: String?
        var text: String

        var label: String { "\(audience) \(channel)" + (to.map { " \($0)" } ?? "") }
    }

    var status: String
    var reason: String?
    var path: [String]
    var total: Int64?
    var currency: Currency
    var messages: [Message]

    /// From a trace as `TraceView.trace` renders it.
    init(trace: JSON, currency fallback: Currency) {
        let report = TraceReport(trace: trace)
        status = report.status
        reason = trace["reason"]?.stringValue
        path = report.path
        total = trace.value(at: "context.price.total")?.intValue
        currency = trace.value(at: "context.price.currency")?.stringValue.flatMap { Currency(code: $0) } ?? fallback
        messages = report.steps.flatMap { $0["messages"]?.arrayValue ?? [] }.map { message in
            Message(audience: message["audience"]?.textValue ?? "?", channel: message["channel"]?.textValue ?? "?",
                    to: message["to"]?.stringValue, text: message["text"]?.textValue ?? "")
        }
    }

    var price: String { total.map { Money(minorUnits: $0, currency: currency).formatted } ?? "no price" }
}

/// How a replay differs from the recording.
struct OutcomeChange: Sendable {
    var id: InteractionID
    var received: Int64
    var request: String
    var before: OutcomeSummary
    var after: OutcomeSummary

    var outcomeChanged: Bool { before.status != after.status || before.path != after.path }
    var priceChanged: Bool { before.total != after.total }
    var messagesChanged: Bool { before.messages != after.messages }
    var isUnchanged: Bool { !outcomeChanged && !priceChanged && !messagesChanged }

    /// Message lines that differ: `- old` and `+ new`, matched in order.
    var messageDifferences: [String] {
        var lines: [String] = []
        let count = max(before.messages.count, after.messages.count)
        for index in 0..<count {
            let old = index < before.messages.count ? before.messages[index] : nil
            let new = index < after.messages.count ? after.messages[index] : nil
            guard old != new else { continue }
            lines.append("message \(index + 1):")
            lines.append("  - " + (old.map { "to the \($0.label): " + Self.oneLine($0.text) } ?? "(not sent)"))
            lines.append("  + " + (new.map { "to the \($0.label): " + Self.oneLine($0.text) } ?? "(not sent)"))
        }
        return lines
    }

    static func oneLine(_ text: String) -> String {
        var line = text.split(separator: "\n").joined(separator: " ⏎ ")
        if line.count > 240 { line = String(line.prefix(239)) + "…" }
        return line
    }
}
