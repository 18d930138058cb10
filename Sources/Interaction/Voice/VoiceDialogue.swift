import Model

/// What to do with one voice webhook, decided from the request and the tenant's voice settings
/// alone, so every rule of the call is tested without a server.
enum VoiceDialogue {
    enum Action: Sendable, Equatable {
        /// Answer the call: the greeting, listening for speech.
        case greet
        /// The caller's number is withheld: nothing can be confirmed to them by text.
        case noCallerID
        /// Listen again after `phrase` (not understood, or nothing heard).
        case askAgain(VoicePhrase)
        /// Connect the caller to the operator, and why.
        case transfer(reason: String)
        /// Say `phrase` and hang up: the caller could not be understood, or stayed silent.
        case farewell(VoicePhrase, reason: String)
        /// Run the words through the flows (a new request, or the answer to a question).
        case run(text: String, confidence: Double?)
        /// The transfer ended with Twilio's `DialCallStatus`.
        case dialEnded(status: String)
        /// The call is over (`CallStatus`), after `durationSeconds`.
        case ended(status: String, durationSeconds: Int?)
    }

    /// Silent turns in a row before Switchboard says goodbye.
    static let silentTurnsBeforeGoodbye = 2

    /// Words that ask for a person. Kept to unambiguous ones: "can someone come tomorrow" is a
    /// request, not a transfer.
    static let operatorWords: Set<String> = ["operator", "representative", "receptionist", "human"]
    static let operatorPhrases = ["real person", "speak to a person", "talk to a person", "speak to someone", "talk to someone",
                                  "speak with someone", "talk with someone"]

    static func decide(_ request: VoiceRequest, voice: VoiceChannel) -> Action {
        // Nothing can be confirmed by text to a withheld number: such a call is not taken by voice.
        if asksForSomething(request.kind), !request.hasCallerNumber { return .noCallerID }
        switch request.kind {
        case .incoming:
            return .greet
        case .silence:
            if request.silent + 1 >= silentTurnsBeforeGoodbye {
                return .farewell(.goodbye, reason: "nothing heard \(request.silent + 1) times in a row")
            }
            return .askAgain(.noInput)
        case .speech(let text, let confidence):
            if voice.operatorNumber != nil, asksForOperator(text) { return .transfer(reason: "the caller asked for a person") }
            if let confidence, confidence < voice.minConfidence {
                let unclear = request.unclear + 1
                guard unclear >= voice.transferAfterUnclear else { return .askAgain(.notUnderstood) }
                let reason = "not understood \(unclear) times in a row"
                return voice.operatorNumber == nil ? .farewell(.unavailable, reason: reason) : .transfer(reason: reason)
            }
            return .run(text: text, confidence: confidence)
        case .dialEnded(let status):
            return .dialEnded(status: status)
        case .ended(let status, let duration):
            return .ended(status: status, durationSeconds: duration)
        }
    }

    /// True for the turns where the caller is heard (not a transfer's or the call's end).
    private static func asksForSomething(_ kind: VoiceRequest.Kind) -> Bool {
        switch kind {
        case .incoming, .speech, .silence: return true
        case .dialEnded, .ended: return false
        }
    }

    static func asksForOperator(_ text: String) -> Bool {
        let lowered = text.lowercased()
        let words = lowered.split { !$0.isLetter }.map(String.init)
        if words.contains(where: operatorWords.contains) { return true }
        let joined = " " + words.joined(separator: " ") + " "
        return operatorPhrases.contains { joined.contains(" \($0) ") }
    }
}
