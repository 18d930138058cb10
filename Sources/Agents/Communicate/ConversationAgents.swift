import Model

/// `conversation.ask`: sends the customer a question and waits for their reply (or the timeout);
/// the reply continues this step. With `expect: slot_choice` the reply picks one of the offered
/// `alternatives` ("2", "the 10am one", "tomorrow 9am"); `yes_no` takes yes or no; `free_text`
/// takes anything. "No", "cancel" and "stop" decline.
public struct ConversationAgent: Agent {
    public let name = "conversation.ask"
    public let hasEffects = true

    public init() {}

    static let declines: Set<String> = ["no", "nope", "cancel", "stop", "none", "neither", "nah", "n"]
    static let accepts: Set<String> = ["yes", "y", "yeah", "yep", "ok", "okay", "sure", "confirm", "fine", "great", "perfect"]

    public func run(_ input: StepInput) async -> StepResult {
        let timeout = input.parameters["timeout"]?.duration?.components.seconds ?? 1800
        switch input.resumption {
        case nil:
            return await ask(input, template: input.parameters["template"]?.text, effect: "question", timeout: timeout)
        case .timeout:
            return .outcome(.timeout, "no reply in time", reasons: ["waited \(timeout / 60) minutes"])
        case .approval:
            return .outcome(.error, "an approval cannot answer a question", reasons: [])
        case .reply(let text):
            return await interpret(text, input: input, timeout: timeout)
        }
    }

    private func interpret(_ text: String, input: StepInput, timeout: Int64) async -> StepResult {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == ":") }.map(String.init)
        let reply: JSONObject = ["text": .string(text)]
        if input.parameters["expect"]?.text == "field", let name = input.parameters["field"]?.text,
           let field = input.config.field(named: name, service: input.service?.id) ?? input.config.allFields.first(where: { $0.name == name }) {
            return await answer(field, text: text, input: input, timeout: timeout)
        }
        if words.contains(where: Self.declines.contains) && !words.contains(where: Self.accepts.contains) {
            return .outcome(.declined, "the customer declined", reasons: ["replied \"\(text)\""], delta: ["reply": .object(reply)])
        }
        switch input.parameters["expect"]?.text ?? "free_text" {
        case "slot_choice":
            let alternatives = input.value("alternatives")?.arrayValue ?? []
            if let index = Self.choiceIndex(words, alternatives: alternatives, now: input.now, zone: input.config.identity.timeZone) {
                let chosen = alternatives[index]
                var delta: JSONObject = ["reply": ["text": .string(text), "choice": .int(Int64(index + 1))]]
                delta["slot"] = chosen
                return .ok("the customer chose option \(index + 1)", reasons: ["replied \"\(text)\""], delta: delta)
            }
            return await clarify(input, text: text, timeout: timeout,
                                 question: "Sorry, we didn't catch that. Reply with a number from 1 to \(alternatives.count), or NO to cancel.",
                                 spoken: "Sorry, I didn't catch that. Please say a number from 1 to \(alternatives.count), or no to cancel.")
        case "yes_no":
            if words.contains(where: Self.accepts.contains) {
                return .ok("the customer said yes", reasons: ["replied \"\(text)\""], delta: ["reply": ["text": .string(text), "choice": "yes"]])
            }
            return await clarify(input, text: text, timeout: timeout, question: "Sorry, please reply YES or NO.",
                                 spoken: "Sorry, please say yes or no.")
        default:
            return .ok("the customer replied", reasons: ["replied \"\(text)\""], delta: ["reply": .object(reply)])
        }
    }

    /// A reply that gives a field's value: sets `fields.<name>`, or asks again saying what is
    /// wanted. For a boolean field yes and no are answers, not declines.
    private func answer(_ field: RequestField, text: String, input: StepInput, timeout: Int64) async -> StepResult {
        let words = WordMatch.words(of: text)
        let lowered = Set(words.map(String.init))
        if field.kind != .boolean, !lowered.isDisjoint(with: Self.declines), lowered.isDisjoint(with: Self.accepts) {
            return .outcome(.declined, "the customer declined", reasons: ["replied \"\(text)\""], delta: ["reply": ["text": .string(text)]])
        }
        if let value = Self.fieldValue(field, text: text, words: words) {
            var delta: JSONObject = ["reply": ["text": .string(text)]]
            delta.set("fields.\(field.name)", value)
            return .ok("the customer gave \(field.name)", reasons: ["replied \"\(text)\": \(field.name) = \(value.serialized())"], delta: delta)
        }
        return await clarify(input, text: text, timeout: timeout, question: "Sorry, we need \(field.expectation) for \(field.name.replacingUnderscores).",
                             spoken: "Sorry, I need \(field.expectation) for \(field.name.replacingUnderscores).")
    }

    /// The value a reply gives `field`: its aliases, a value's name, a number, yes or no, or the
    /// whole reply for text-like fields.
    static func fieldValue(_ field: RequestField, text: String, words: [Substring]) -> JSON? {
        if let (value, _) = field.read(from: words) { return value }
        let trimmed = text.trimmingSpaces
        switch field.kind {
        case .enumeration:
            let named = field.values.filter { WordMatch.contains(words, phrase: WordMatch.words(of: $0.replacingUnderscores)) }
            guard !named.isEmpty else { return nil }
            return field.isMultiple ? .array(named.map { .string($0) }) : (named.count == 1 ? .string(named[0]) : nil)
        case .integer, .decimal:
            // "a" and "an" count only before a unit word ("a bathroom"), which the aliases read.
            for word in words where word != "a" && word != "an" {
                let number: JSON? = field.kind == .integer ? Int64(word).map { .int($0) } ?? RequestField.numberWords[word].map { .int(Int64($0)) }
                    : Double(word).map { .double($0) }
                if let number, case .success(let value) = field.normalize(number) { return value }
            }
            return nil
        case .boolean:
            let lowered = Set(words.map(String.init))
            if !lowered.isDisjoint(with: accepts) { return true }
            if !lowered.isDisjoint(with: declines) { return false }
            return nil
        case .string, .date, .time, .email, .phone:
            if case .success(let value) = field.normalize(.string(trimmed)) { return value }
            return nil
        }
    }

    /// Numbers as callers say them (speech recognition writes small numbers as words).
    static let numberWords: [String: Int] = [
        "one": 1, "first": 1, "two": 2, "second": 2, "three": 3, "third": 3, "four": 4, "fourth": 4, "five": 5, "fifth": 5,
        "six": 6, "sixth": 6, "seven": 7, "seventh": 7, "eight": 8, "eighth": 8, "nine": 9, "ninth": 9,
    ]

    /// The alternative a reply picks: a number (in digits or words), or a time that equals an
    /// alternative's start. Number words count only in replies without digits: in "the 2:30pm
    /// one" the time picks, not "one".
    static func choiceIndex(_ words: [String], alternatives: [JSON], now: Int64, zone: TenantTimeZone) -> Int? {
        let count = alternatives.count
        let namesDigits = words.contains { $0.contains(where: \.isNumber) }
        for word in words {
            if let number = Int(word) ?? (namesDigits ? nil : numberWords[word]), count > 0, (1...count).contains(number) {
                return number - 1
            }
        }
        guard let requested = RequestedTime.parse(words.joined(separator: " "), now: now, zone: zone) else { return nil }
        for (index, alternative) in alternatives.enumerated() {
            guard let millis = alternative["start"]?.stringValue.flatMap(Timestamp.parseISO8601) else { continue }
            let start = millis / 1000
            if let exact = requested.exact {
                // A bare "2:30pm" matches an alternative at that time of day, whatever the date.
                if exact == start || (exact - start) % 86_400 == 0 { return index }
            } else if start >= requested.start, start < requested.end {
                return index
            }
        }
        return nil
    }

    /// Asks again after an answer that fits nothing; after two tries the step declines.
    private func clarify(_ input: StepInput, text: String, timeout: Int64, question: String, spoken: String) async -> StepResult {
        let attempts = Int(input.value("conversation.clarifications")?.intValue ?? 0)
        guard attempts < 2 else {
            return .outcome(.declined, "no usable answer after three tries", reasons: ["last reply \"\(text)\""],
                            delta: ["reply": ["text": .string(text)]])
        }
        var result = await ask(input, text: question, spoken: spoken, effect: "clarify-\(attempts + 1)", timeout: timeout)
        result.delta.set("conversation.clarifications", .int(Int64(attempts + 1)))
        result.decision.reasons.insert("could not read \"\(text)\"", at: 0)
        return result
    }

    func ask(_ input: StepInput, template: String? = nil, text: String? = nil, spoken: String? = nil, effect: String,
                     timeout: Int64) async -> StepResult {
        let body: String
        let spokenBody: String
        if let text {
            body = text
            spokenBody = spoken ?? SpokenText.from(text)
        } else if let template, let rendered = input.render(template: template) {
            body = rendered.text
            spokenBody = input.renderSpoken(template: template) ?? SpokenText.from(body)
        } else {
            return .outcome(.error, "no question to ask", reasons: ["the step names no known template"])
        }
        // A caller still on the line hears the question and answers it in the same call.
        if let line = input.callLine, line.ask(spokenBody) {
            let message = SentMessageRecord(audience: .customer, channel: "voice", to: input.interaction.from.phone, text: spokenBody,
                                            providerID: nil)
            return StepResult(outcome: .ok, delta: [:], decision: Decision("asked the caller on the line; waiting up to \(timeout / 60) minutes"),
                              messages: [message], park: .awaitingReply(timeoutSeconds: timeout))
        }
        switch await Messenger(input: input).toCustomer(body, subject: nil, effect: effect) {
        case .success(let message):
            return StepResult(outcome: .ok, delta: [:], decision: Decision("asked the customer; waiting up to \(timeout / 60) minutes"),
                              messages: [message], park: .awaitingReply(timeoutSeconds: timeout))
        case .failure(let failure):
            return .outcome(.error, "could not ask the customer", reasons: [failure.description])
        }
    }
}

/// `approval.request`: tells the operator a decision needs approval and waits for approve or
/// reject (through the API or the dashboard), or the policy's timeout.
public struct ApprovalAgent: Agent {
    public let name = "approval.request"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let name = input.parameters["policy"]?.text, let policy = input.config.approvals[name] else {
            return .outcome(.error, "unknown approval policy", reasons: [])
        }
        let timeout = policy.timeout.components.seconds
        switch input.resumption {
        case .approval(let approved, let by, let note):
            var approval: JSONObject = ["decision": .string(approved ? "approved" : "rejected"), "by": .string(by)]
            approval["note"] = note.map { .string($0) } ?? .null
            return .outcome(approved ? .ok : .declined, approved ? "approved by \(by)" : "rejected by \(by)",
                            reasons: note.map { ["note: \($0)"] } ?? [], delta: ["approval": .object(approval)])
        case .timeout:
            return .outcome(.timeout, "no decision within \(timeout / 60) minutes", reasons: ["policy \(name)"],
                            delta: ["approval": ["decision": "timed_out", "by": "switchboard", "note": .null]])
        case .reply:
            return .outcome(.error, "a customer reply cannot approve", reasons: [])
        case nil:
            // A policy's `when` decides here too: a case it does not cover needs no operator.
            if let condition = policy.condition {
                let scope = ContextScope(context: input.context, timeZone: input.config.identity.timeZone,
                                         hours: input.config.identity.hours, now: input.now)
                if !condition.holds(in: scope) {
                    return .ok("no approval needed (\(name))", reasons: ["not \(condition.source)"],
                               delta: ["approval": ["decision": "not_required", "by": "switchboard", "note": .null]])
                }
            }
            let text = policy.template.flatMap { input.render(template: $0)?.text }
                ?? "Approval needed (\(policy.description)) for interaction \(input.interaction.id.rawValue)."
            let notice = await Messenger(input: input).toOperator(text, effect: "approval-request")
            guard let message = notice.message else {
                return .outcome(.error, "could not ask the operator for approval on any channel", reasons: notice.reasons)
            }
            return StepResult(outcome: .ok, delta: [:],
                              decision: Decision("waiting for approval (\(name))", reasons: [policy.description] + notice.reasons),
                              messages: [message], park: .awaitingApproval(policy: name, timeoutSeconds: timeout))
        }
    }
}
