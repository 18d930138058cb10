import Model

/// `notify.customer`: renders the step's template and sends it to the customer (SMS or email).
public struct NotifyCustomerAgent: Agent {
    public let name = "notify.customer"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let template = input.parameters["template"]?.text, let rendered = input.render(template: template) else {
            return .outcome(.error, "no template to send", reasons: ["the step names no known template"])
        }
        switch await Messenger(input: input).toCustomer(rendered.text, subject: rendered.subject) {
        case .success(let message):
            var result = StepResult.ok(message.inDoubt ? "customer message in doubt (not repeated)" : "told the customer (\(message.channel))",
                                       reasons: message.inDoubt ? ["a crash interrupted the send; the operator should check"] : [],
                                       delta: ["message": ["customer_id": message.providerID.map { .string($0) } ?? .null]])
            result.messages = [message]
            // A caller still on the line also hears what is texted to them; the text keeps what
            // speech cannot carry (links). Emails are the longer copy of the same news: not read out.
            if !message.inDoubt, message.channel == "sms", let line = input.callLine, let spoken = input.renderSpoken(template: template),
               line.say(spoken) {
                result.messages.append(SentMessageRecord(audience: .customer, channel: "voice", to: message.to, text: spoken, providerID: nil))
                result.decision.summary += " and said it on the call"
            }
            return result
        case .failure(let failure):
            return .outcome(.error, "could not message the customer", reasons: [failure.description])
        }
    }
}

/// `notify.operator`: renders the step's template and sends it to the operator on the step's
/// `channel`s, else the tenant's operator channels, trying the next when one fails.
public struct NotifyOperatorAgent: Agent {
    public let name = "notify.operator"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let template = input.parameters["template"]?.text, let rendered = input.render(template: template) else {
            return .outcome(.error, "no template to send", reasons: ["the step names no known template"])
        }
        let notice = await Messenger(input: input).toOperator(rendered.text, subject: rendered.subject)
        guard let message = notice.message else {
            return .outcome(.error, "could not notify the operator on any channel", reasons: notice.reasons)
        }
        var result = StepResult.ok(message.inDoubt ? "operator message in doubt (not repeated)" : "notified the operator by \(message.channel)",
                                   reasons: notice.reasons, delta: ["message": ["operator_id": .string(input.effectKeyBase)]])
        result.messages = [message]
        return result
    }
}
