/// How the tenant answers phone calls through Twilio Voice: the number, how Switchboard sounds,
/// who takes over when the caller asks for a person, and the phrases of the call.
public struct VoiceChannel: Sendable, Hashable {
    /// The tenant's Twilio number customers call, E.164.
    public var number: String
    /// TwiML `<Say voice>`: `man`, `woman`, `alice`, `Polly.Joanna`, `Google.en-US-Standard-C`, ...
    public var voice: String
    /// BCP-47 tag for `<Say language>` and `<Gather language>` (what the caller is expected to speak).
    public var language: String
    /// Where `<Dial>` connects a caller who asks for a person (or is not understood twice); nil
    /// offers no transfer.
    public var operatorNumber: String?
    /// How long a speech turn waits for the flow before answering "we'll text you": Twilio hangs
    /// up on a webhook that takes 15 s, and the caller hears silence meanwhile.
    public var answerWithin: Duration
    /// Speech recognised with less confidence (Twilio's `Confidence`, 0 to 1) is asked again.
    public var minConfidence: Double
    /// After this many turns in a row not understood, the caller is offered the operator.
    public var transferAfterUnclear: Int
    /// The tenant's templates (customer audience) for each phrase; phrases without one use
    /// `VoicePhrase.defaultText`.
    public var templates: [VoicePhrase: String]

    public init(number: String, voice: String = "Polly.Joanna", language: String = "en-US", operatorNumber: String? = nil,
                answerWithin: Duration = .seconds(6), minConfidence: Double = 0.5, transferAfterUnclear: Int = 2,
                templates: [VoicePhrase: String] = [:]) {
        self.number = number
        self.voice = voice
        self.language = language
        self.operatorNumber = operatorNumber
        self.answerWithin = answerWithin
        self.minConfidence = minConfidence
        self.transferAfterUnclear = transferAfterUnclear
        self.templates = templates
    }

    /// The longest `answer_within` allowed: Twilio gives a webhook 15 s, and the answer still has
    /// to travel back.
    public static let longestAnswerWait: Duration = .seconds(12)

    /// True for the voices TwiML's `<Say>` accepts: `man`, `woman`, `alice`, or a provider voice
    /// written `Polly.<Name>[-Neural|-Generative]` or `Google.<language>-<Variant>`.
    public static func isValidVoice(_ text: String) -> Bool {
        if ["man", "woman", "alice"].contains(text) { return true }
        for prefix in ["Polly.", "Google."] where text.hasPrefix(prefix) {
            let name = text.dropFirst(prefix.count)
            return !name.isEmpty && name.first!.isLetter
                && name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        }
        return false
    }

    /// True for a BCP-47 language tag of the form TwiML uses: `en`, `en-US`, `es-419`, `cmn-Hans-CN`.
    public static func isValidLanguage(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}

/// The things Switchboard says on a call besides what the flow says.
public enum VoicePhrase: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Answering the call: who this is and what to say.
    case greeting
    /// The flow needs longer than `answer_within` (or waits for an operator): the outcome comes by text.
    case stillWorking = "still_working"
    /// Speech recognised with too little confidence: say it again.
    case notUnderstood = "not_understood"
    /// The caller said nothing.
    case noInput = "no_input"
    /// Before `<Dial>` to the operator.
    case transfer
    /// Before hanging up after the flow has answered.
    case goodbye
    /// Switchboard cannot take the request now (the journal is unavailable, the tenant is over
    /// its rate limit): nothing was recorded.
    case unavailable

    /// What is said when the tenant names no template for the phrase (English).
    public var defaultText: String {
        switch self {
        case .greeting: return "Hello, how can we help you today?"
        case .stillWorking: return "Thanks, we're working on it and will text you the confirmation in a moment. Goodbye."
        case .notUnderstood: return "Sorry, I didn't catch that. Could you say it again?"
        case .noInput: return "Sorry, I didn't hear anything. How can we help you?"
        case .transfer: return "Connecting you to our team now."
        case .goodbye: return "Thanks for calling. Goodbye."
        case .unavailable: return "Sorry, we can't take your request right now. Please call again in a few minutes, or send us a text."
        }
    }

    public static func < (lhs: VoicePhrase, rhs: VoicePhrase) -> Bool { lhs.rawValue < rhs.rawValue }
}
