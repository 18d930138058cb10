import Model
import Native

extension TenantFileDecoder {
    /// `channels.voice`: the number callers dial, how Switchboard sounds, the operator to
    /// transfer to, timing and confidence, and the phrases' templates.
    func decodeVoice(_ map: MappingReader) -> VoiceChannel? {
        reader.index.declared.insert("channels.voice")
        var number: String?
        if let node = map.required("number", what: "the Twilio number customers call"), let text = reader.string(node, path: join(map.path, "number")) {
            number = checkedPhone(text, node: node, path: join(map.path, "number"))
        }
        var voice = VoiceChannel(number: number ?? "")
        if let node = map.value("voice"), let text = reader.string(node, path: join(map.path, "voice")) {
            if VoiceChannel.isValidVoice(text) {
                voice.voice = text
            } else {
                reader.error("\"\(text)\" is not a TwiML voice: use man, woman, alice, Polly.<Name> (Polly.Joanna, Polly.Amy-Neural) "
                             + "or Google.<language>-<Variant>", at: node, path: join(map.path, "voice"))
            }
        }
        if let node = map.value("language"), let text = reader.string(node, path: join(map.path, "language")) {
            if VoiceChannel.isValidLanguage(text) {
                voice.language = text
            } else {
                reader.error("\"\(text)\" is not a language tag: use the BCP-47 form Twilio expects, such as en-US or en-GB",
                             at: node, path: join(map.path, "language"))
            }
        }
        if let node = map.value("operator_number"), let text = reader.string(node, path: join(map.path, "operator_number")) {
            voice.operatorNumber = checkedPhone(text, node: node, path: join(map.path, "operator_number"))
        }
        if let node = map.value("answer_within"), let wait = reader.duration(node, path: join(map.path, "answer_within")) {
            if wait >= .seconds(1) && wait <= VoiceChannel.longestAnswerWait {
                voice.answerWithin = wait
            } else {
                reader.error("must be between 1s and \(VoiceChannel.longestAnswerWait.components.seconds)s: Twilio gives up on an answer "
                             + "after 15 s and plays its own error to the caller", at: node, path: join(map.path, "answer_within"))
            }
        }
        if let node = map.value("min_confidence"), let text = reader.string(node, path: join(map.path, "min_confidence")) {
            if let value = Double(text), (0...1).contains(value) {
                voice.minConfidence = value
            } else {
                reader.error("expected a number from 0 to 1 like 0.5 (Twilio's speech Confidence), got \"\(text)\"",
                             at: node, path: join(map.path, "min_confidence"))
            }
        }
        voice.transferAfterUnclear = map.integer("transfer_after_unclear", in: 1...10) ?? voice.transferAfterUnclear
        if let templates = map.mapping("templates", required: true) {
            for phrase in VoicePhrase.allCases {
                let required = phrase == .greeting
                guard let node = required ? templates.required(phrase.rawValue, what: "the template that answers the call")
                                          : templates.value(phrase.rawValue) else { continue }
                if let name = reader.identifier(node, path: join(templates.path, phrase.rawValue)) { voice.templates[phrase] = name }
            }
            templates.finish()
        }
        map.finish()
        return number == nil ? nil : voice
    }
}
