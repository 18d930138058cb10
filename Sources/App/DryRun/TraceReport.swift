import Model

/// A trace (the JSON of `GET .../interactions/{id}`) as text for a terminal: the outcome, the path
/// taken, each decision with its reasons and provider calls, the price, and the messages sent.
/// `simulate` and `trace` print it.
struct TraceReport {
    var trace: JSON
    /// Messages are "sent" (a trace) or "that would be sent" (a dry run).
    var messagesHeading = "Messages sent"

    var steps: [JSON] { trace["steps"]?.arrayValue ?? [] }
    var status: String { trace["status"]?.stringValue ?? "unknown" }

    /// The states visited, then the final state when the flow ended there.
    var path: [String] {
        var states = steps.compactMap { $0["state"]?.stringValue }
        var collapsed: [String] = []
        for (index, state) in states.enumerated() {
            // A parked step is journaled again when it resumes: show it once.
            if index > 0, states[index - 1] == state, steps[index - 1]["outcome"] == "waiting" { continue }
            collapsed.append(state)
        }
        states = collapsed
        if let final = trace["state"]?.stringValue, ["completed", "failed", "dead"].contains(status), states.last != final {
            states.append(final)
        }
        return states
    }

    func render() -> String {
        var out = "Outcome: \(status)"
        let place = [trace["flow"]?.stringValue, trace["state"]?.stringValue].compactMap { $0 }.joined(separator: " › ")
        if !place.isEmpty { out += " (\(place))" }
        if let reason = trace["reason"]?.stringValue { out += ": \(reason)" }
        out += "\nPath: " + (path.isEmpty ? "(no steps)" : path.joined(separator: " → ")) + "\n"
        out += decisions()
        out += price()
        out += messages()
        if let flags = trace["flags"]?.arrayValue, !flags.isEmpty {
            out += "\nFlags for the operator:\n" + flags.compactMap(\.stringValue).map { "  ! \($0)\n" }.joined()
        }
        if let cost = trace["cost"] {
            out += "\nCost: \(cost["steps"]?.intValue ?? 0) steps, \(cost["provider_calls"]?.intValue ?? 0) provider calls, "
                + "\(cost["retries"]?.intValue ?? 0) retries; "
            if let wall = cost["wall_time_ms"]?.intValue, wall > 0 { out += "\(wall) ms in all, " }
            out += "\(cost["provider_time_ms"]?.intValue ?? 0) ms with providers\n"
        }
        return out
    }

    func decisions() -> String {
        guard !steps.isEmpty else { return "" }
        var out = "\nDecisions:\n"
        let width = min(24, steps.map { ($0["state"]?.stringValue ?? "").count }.max() ?? 0)
        for (index, step) in steps.enumerated() {
            let state = step["state"]?.stringValue ?? "?"
            let outcome = step["outcome"]?.stringValue ?? "?"
            let summary = step.value(at: "decision.summary")?.stringValue ?? ""
            let number = String(index + 1).leftPadded(to: 3)
            out += "\(number). \(state.padding(toLength: width + 1))\(outcome.padding(toLength: 15))\(summary)\n"
            let indent = String(repeating: " ", count: 5)
            for reason in step.value(at: "decision.reasons")?.arrayValue ?? [] {
                out += "\(indent)- \(reason.textValue)\n"
            }
            if let resumed = step["resumed_by"] {
                out += "\(indent)resumed by \(resumed.stringValue ?? resumed.serialized())\n"
            }
            for call in step["calls"]?.arrayValue ?? [] {
                var line = "\(indent)call: \(call["provider"]?.textValue ?? "?") \(call["operation"]?.textValue ?? "?")"
                if let status = call["status"]?.intValue { line += " → \(status)" }
                let attempts = call["attempts"]?.intValue ?? 1
                line += " (\(attempts) attempt\(attempts == 1 ? "" : "s"), \(call["duration_ms"]?.intValue ?? 0) ms)"
                if let error = call["error"] { line += " error \(error["kind"]?.textValue ?? ""): \(error["message"]?.textValue ?? "")" }
                out += line + "\n"
            }
        }
        return out
    }

    func price() -> String {
        guard let quote = trace.value(at: "context.price"), let total = quote["total"]?.intValue else { return "" }
        let currency = quote["currency"]?.stringValue.flatMap { Currency(code: $0) } ?? .usd
        func money(_ minor: Int64) -> String { Money(minorUnits: minor, currency: currency).formatted }
        var rows: [(String, String)] = [("Base price", money(quote["base"]?.intValue ?? 0))]
        for adjustment in quote["adjustments"]?.arrayValue ?? [] {
            let amount = adjustment["amount"]?.intValue ?? 0
            let label = "\(adjustment["description"]?.textValue ?? "") (\(adjustment["rule"]?.textValue ?? ""))"
            rows.append((label, (amount >= 0 ? "+" : "−") + money(abs(amount))))
        }
        rows.append(("Total", money(total)))
        if let deposit = quote["deposit"]?.intValue, deposit > 0 { rows.append(("Deposit", money(deposit))) }
        let width = rows.map(\.0.count).max() ?? 0
        return "\nPrice:\n" + rows.map { "  \($0.0.padding(toLength: width + 1))\($0.1.leftPadded(to: 12))\n" }.joined()
    }

    func messages() -> String {
        let sent = steps.flatMap { $0["messages"]?.arrayValue ?? [] }
        guard !sent.isEmpty else { return "\n\(messagesHeading): none\n" }
        var out = "\n\(messagesHeading):\n"
        for message in sent {
            var head = "  to the \(message["audience"]?.textValue ?? "?") by \(message["channel"]?.textValue ?? "?")"
            if let to = message["to"]?.stringValue { head += " (\(to))" }
            if message["in_doubt"]?.boolValue == true { head += " — may not have been sent" }
            out += head + ":\n"
            var text = message["text"]?.textValue ?? ""
            while text.hasSuffix("\n") { text.removeLast() }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                out += "    \(line)\n"
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}
