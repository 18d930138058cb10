import Model

/// Checks the voice channel against the rest of the file: Twilio's signature can be verified,
/// some flow serves calls, outcomes can be texted, and every phrase names a customer template
/// that reads only what is known when a call is answered.
struct VoiceValidator {
    let config: TenantConfig
    let index: LocationIndex
    let log: DiagnosticLog

    /// What a phrase template may read: the tenant and the caller, known before anything is asked.
    static let phraseKeys: Set<String> = ["tenant.id", "tenant.name", "tenant.phone", "from.phone"]

    func validate() {
        let servingFlows = config.flows.values.filter { $0.serves.channels.contains(.voice) }.map(\.name).sorted()
        guard let voice = config.channels.voice else {
            if index.declared.contains("channels.voice") { return }  // reported while decoding
            for name in servingFlows {
                error("serving voice needs channels.voice (the number callers dial and the greeting)", "flows.\(name).serves.channels")
            }
            if config.channels.webhooks[.twilioVoice] != nil {
                error("a twilio-voice webhook needs channels.voice (the number callers dial and the greeting)", "channels.webhooks.twilio-voice")
            }
            return
        }
        if config.channels.webhooks[.twilioVoice] == nil, !index.declared.contains("channels.webhooks.twilio-voice") {
            error("calls need channels.webhooks.twilio-voice (the auth token and public_url Twilio signs calls with)", "channels.voice")
        }
        if servingFlows.isEmpty {
            error("no flow serves voice: add voice to the serves.channels of the flow that should handle calls", "channels.voice")
        }
        if config.integrations[.messaging] == nil || config.channels.sms == nil {
            error("calls text their outcome: add integrations.messaging (twilio) and channels.sms.number", "channels.voice")
        }
        if let operatorNumber = voice.operatorNumber, operatorNumber == voice.number {
            error("the operator number is the number callers dial: a transfer would ring the same line", "channels.voice.operator_number")
        }
        for (phrase, name) in voice.templates.sorted(by: { $0.key < $1.key }) {
            checkPhrase(phrase, template: name)
        }
    }

    private func checkPhrase(_ phrase: VoicePhrase, template name: String) {
        let path = "channels.voice.templates.\(phrase.rawValue)"
        guard let template = config.templates[name] else {
            if index.declared.contains("templates.\(name)") { return }
            error("no template \"\(name)\" under templates:\(EditDistance.hint(for: name, among: config.templates.keys))", path)
            return
        }
        guard template.audience == .customer else {
            error("template \"\(name)\" is for the \(template.audience.rawValue), but callers hear customer templates", path)
            return
        }
        for (key, body) in [("text", template.text), ("say", template.say)] {
            guard let body else { continue }
            for variable in body.variables where !TemplateScopeValidator.covers(Self.phraseKeys, variable.path) {
                let location = index.textOrigin("templates.\(name).\(key)")?.locate(line: variable.line, column: variable.column)
                    ?? index.location("templates.\(name).\(key)") ?? SourceLocation(file: "", line: 1, column: 1)
                log.error("{{\(variable.path)}} is not known on a call before the flow runs; the \(phrase.rawValue) phrase may read "
                          + Self.phraseKeys.sorted().joined(separator: ", "), at: location, path: "templates.\(name).\(key)")
            }
        }
    }

    private func error(_ message: String, _ path: String) {
        log.error(message, at: index.valueLocation(path) ?? SourceLocation(file: "", line: 1, column: 1), path: path)
    }
}
