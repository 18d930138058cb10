import Model

/// A TwiML voice answer: the verbs Switchboard uses, rendered as one XML document with every
/// piece of text escaped (customer speech and template output go into it).
///
/// ```swift
/// var answer = TwiML(voice: "Polly.Joanna", language: "en-US")
/// answer.gather(action: url, prompt: ["How can we help?"])
/// answer.say("Sorry, I didn't hear anything.")
/// answer.body   // <?xml ...?><Response><Gather input="speech" ...><Say ...>How can we help?</Say></Gather>...</Response>
/// ```
struct TwiML: Sendable, Equatable {
    enum Verb: Sendable, Equatable {
        case say(String)
        /// Listens for speech while `prompt` is said; Twilio posts what it heard (or nothing) to `action`.
        case gather(action: String, prompt: [String])
        /// Connects the caller to `number`; Twilio posts `DialCallStatus` to `action` when that call ends.
        case dial(number: String, action: String, timeoutSeconds: Int)
        case hangup
    }

    let voice: String
    let language: String
    private(set) var verbs: [Verb] = []

    init(voice: String, language: String) {
        self.voice = voice
        self.language = language
    }

    mutating func say(_ text: String) {
        guard !text.isEmpty else { return }
        verbs.append(.say(text))
    }

    mutating func gather(action: String, prompt: [String]) { verbs.append(.gather(action: action, prompt: prompt.filter { !$0.isEmpty })) }

    mutating func dial(_ number: String, action: String, timeoutSeconds: Int = 20) {
        verbs.append(.dial(number: number, action: action, timeoutSeconds: timeoutSeconds))
    }

    mutating func hangup() { verbs.append(.hangup) }

    /// The verbs' names in order, for the trace: `["Say", "Gather", "Hangup"]`.
    var verbNames: [String] {
        verbs.map {
            switch $0 {
            case .say: return "Say"
            case .gather: return "Gather"
            case .dial: return "Dial"
            case .hangup: return "Hangup"
            }
        }
    }

    /// Everything the caller hears, in order.
    var spoken: [String] {
        verbs.flatMap { verb -> [String] in
            switch verb {
            case .say(let text): return [text]
            case .gather(_, let prompt): return prompt
            case .dial, .hangup: return []
            }
        }
    }

    var body: String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
        for verb in verbs {
            switch verb {
            case .say(let text):
                xml += sayElement(text)
            case .gather(let action, let prompt):
                xml += "<Gather input=\"speech\" action=\"\(Self.escape(action))\" method=\"POST\" speechTimeout=\"auto\""
                    + " language=\"\(Self.escape(language))\" actionOnEmptyResult=\"true\">"
                for text in prompt { xml += sayElement(text) }
                xml += "</Gather>"
            case .dial(let number, let action, let timeout):
                xml += "<Dial action=\"\(Self.escape(action))\" method=\"POST\" timeout=\"\(timeout)\">\(Self.escape(number))</Dial>"
            case .hangup:
                xml += "<Hangup/>"
            }
        }
        return xml + "</Response>"
    }

    private func sayElement(_ text: String) -> String {
        "<Say voice=\"\(Self.escape(voice))\" language=\"\(Self.escape(language))\">\(Self.escape(text))</Say>"
    }

    /// XML-escapes text for element content and double-quoted attributes, and drops characters
    /// XML 1.0 cannot carry at all (control characters other than tab and newlines).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
