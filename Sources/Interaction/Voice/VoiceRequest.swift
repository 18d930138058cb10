import HTTP
import Model

/// One webhook Twilio Voice posted: which call, who is calling, and what happened — the call
/// was answered, the caller spoke (or said nothing), a transfer ended, or the call ended.
///
/// The conversation's small state (turn number, how many turns in a row were not understood or
/// silent, what happened before the first request) travels in the query string of the action
/// URLs Switchboard hands Twilio, which Twilio signs with the rest of the request.
struct VoiceRequest: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A call came in: answer it.
        case incoming
        /// The caller said something; `confidence` is Twilio's 0 to 1 (absent for some engines).
        case speech(text: String, confidence: Double?)
        /// The `<Gather>` heard nothing.
        case silence
        /// A `<Dial>` to the operator ended with Twilio's `DialCallStatus`.
        case dialEnded(status: String)
        /// A call status callback: the call is over.
        case ended(status: String, durationSeconds: Int?)
    }

    /// What happened on earlier turns before any request started an interaction.
    enum Earlier: Character, Sendable {
        case unclear = "u"
        case silent = "s"
    }

    var callSID: String
    var accountSID: String?
    var from: String
    var to: String?
    var kind: Kind
    /// This turn's number: 1 answers the call.
    var turn: Int
    /// Turns in a row before this one that were not understood, or silent.
    var unclear: Int
    var silent: Int
    /// What the turns before the first request were (`us`: not understood, then silent).
    var earlier: [Earlier]

    /// The call statuses that end a call (Twilio's `CallStatus`).
    static let endStatuses: Set<String> = ["completed", "busy", "no-answer", "failed", "canceled"]

    /// Caller IDs Twilio reports when the caller's number is withheld or unknown.
    static let hiddenCallerIDs: Set<String> = ["+266696687", "+7378742833", "+2562533", "+8656696", "+86282452253"]

    /// Reads the form and the query string.
    ///
    /// - Throws: `NormalisationError` naming the field that is missing or wrong.
    init(form: [(String, String)], query: [String: String]) throws(NormalisationError) {
        func field(_ name: String) -> String? { form.first { $0.0 == name }?.1 }
        guard let sid = field("CallSid"), !sid.isEmpty, sid.utf8.count <= 64 else {
            throw .invalid("CallSid", "required in a Twilio voice webhook")
        }
        callSID = sid
        accountSID = field("AccountSid")
        from = field("From") ?? ""
        to = field("To")
        turn = Self.number(query["turn"], in: 1...1000) ?? 1
        unclear = Self.number(query["unclear"], in: 0...100) ?? 0
        silent = Self.number(query["silent"], in: 0...100) ?? 0
        earlier = (query["h"] ?? "").prefix(32).compactMap(Earlier.init(rawValue:))
        let status = field("CallStatus") ?? ""
        if query["dial"] != nil {
            kind = .dialEnded(status: field("DialCallStatus") ?? "unknown")
        } else if Self.endStatuses.contains(status) {
            kind = .ended(status: status, durationSeconds: field("CallDuration").flatMap { Int($0) })
        } else if query["turn"] != nil {
            let text = (field("SpeechResult") ?? "").trimmingAny(of: " \t\n")
            let confidence = field("Confidence").flatMap(Double.init).map { min(1, max(0, $0)) }
            kind = text.isEmpty ? .silence : .speech(text: String(text.prefix(2000)), confidence: confidence)
        } else {
            kind = .incoming
        }
    }

    /// True when the caller's number can identify them and receive texts.
    var hasCallerNumber: Bool {
        guard !Self.hiddenCallerIDs.contains(from), from.hasPrefix("+") else { return false }
        let digits = from.dropFirst()
        return (7...15).contains(digits.count) && digits.first != "0" && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The query string of the next action URL.
    static func query(turn: Int, unclear: Int, silent: Int, earlier: [Earlier], dial: Bool = false) -> String {
        var parts = ["turn=\(turn)"]
        if unclear > 0 { parts.append("unclear=\(unclear)") }
        if silent > 0 { parts.append("silent=\(silent)") }
        if !earlier.isEmpty { parts.append("h=" + String(earlier.map(\.rawValue))) }
        if dial { parts.append("dial=1") }
        return parts.joined(separator: "&")
    }

    private static func number(_ text: String?, in range: ClosedRange<Int>) -> Int? {
        guard let text, let value = Int(text), range.contains(value) else { return nil }
        return value
    }
}

extension String {
    func trimmingAny(of set: String) -> Substring {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return view
    }
}
