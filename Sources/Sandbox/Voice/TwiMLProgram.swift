/// A TwiML voice document as the sandbox plays it: well-formed XML (`XMLDocument`), a
/// `<Response>` root, and only verbs and attributes Twilio defines, with values of the right
/// form — what Twilio reports as errors 12100 (parse failure) and 12200 (schema) otherwise. The
/// sandbox plays `<Say>`, `<Pause>`, `<Gather>` (speech), `<Dial>`, `<Redirect>` and `<Hangup>`.
struct TwiMLProgram: Sendable, Equatable {
    enum Verb: Sendable, Equatable {
        case say(text: String, voice: String?, language: String?)
        case pause(seconds: Int)
        case gather(Gather)
        case dial(Dial)
        case redirect(url: String, method: String)
        case hangup
    }

    struct Gather: Sendable, Equatable {
        var action: String?
        var method: String
        var input: Set<String>
        var speechTimeout: String?
        var language: String?
        var actionOnEmptyResult: Bool
        /// The `<Say>` and `<Pause>` played while listening.
        var prompt: [Verb]
    }

    struct Dial: Sendable, Equatable {
        var number: String
        var action: String?
        var method: String
        var timeoutSeconds: Int
    }

    var verbs: [Verb]

    /// Twilio's error for a document it cannot run.
    struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// 12100: not well-formed XML; 12200: not valid TwiML.
        var code: Int
        var message: String

        var description: String { "Twilio error \(code): \(message)" }
    }

    /// Attributes Twilio defines per verb (the sandbox checks names and the values it uses).
    static let attributes: [String: Set<String>] = [
        "Response": [],
        "Say": ["voice", "language", "loop"],
        "Pause": ["length"],
        "Gather": ["action", "method", "input", "speechTimeout", "timeout", "language", "actionOnEmptyResult", "hints", "finishOnKey",
                   "numDigits", "partialResultCallback", "partialResultCallbackMethod", "profanityFilter", "speechModel", "enhanced"],
        "Dial": ["action", "method", "timeout", "callerId", "hangupOnStar", "timeLimit", "record", "answerOnBridge", "ringTone"],
        "Number": ["sendDigits", "url", "method", "statusCallback", "statusCallbackEvent", "statusCallbackMethod"],
        "Redirect": ["method"],
        "Hangup": [],
    ]

    /// Parses `bytes`; relative URLs resolve against `documentURL`.
    static func parse(_ bytes: [UInt8], documentURL: String) throws(Failure) -> TwiMLProgram {
        let root: XMLElement
        do {
            root = try XMLDocument.parse(bytes)
        } catch {
            throw Failure(code: 12100, message: "document parse failure: \(error.description)")
        }
        guard root.name == "Response" else { throw Failure(code: 12200, message: "the root element is <\(root.name)>, not <Response>") }
        try checkAttributes(root)
        try checkNoText(root)
        var verbs: [Verb] = []
        for element in root.elements { verbs.append(try verb(element, documentURL: documentURL, nested: false)) }
        return TwiMLProgram(verbs: verbs)
    }

    private static func verb(_ element: XMLElement, documentURL: String, nested: Bool) throws(Failure) -> Verb {
        try checkAttributes(element)
        let attributes = element.attributes
        switch element.name {
        case "Say":
            guard element.elements.isEmpty else { throw schema("<Say> holds text only (SSML is not played by the sandbox)") }
            if let loop = attributes["loop"], Int(loop).map({ $0 < 0 }) ?? true { throw schema("<Say loop> must be a whole number ≥ 0") }
            return .say(text: element.text, voice: attributes["voice"], language: attributes["language"])
        case "Pause":
            try checkNoText(element)
            let length = attributes["length"].map { Int($0) } ?? 1
            guard let length, length >= 0 else { throw schema("<Pause length> must be a whole number of seconds") }
            return .pause(seconds: length)
        case "Gather" where !nested:
            let input = Set((attributes["input"] ?? "dtmf").split(separator: " ").map(String.init))
            guard !input.isEmpty, input.isSubset(of: ["dtmf", "speech"]) else { throw schema("<Gather input> must be dtmf, speech or \"dtmf speech\"") }
            if let timeout = attributes["speechTimeout"], timeout != "auto", Int(timeout).map({ $0 < 1 }) ?? true {
                throw schema("<Gather speechTimeout> must be auto or a whole number of seconds")
            }
            if let timeout = attributes["timeout"], Int(timeout).map({ $0 < 1 }) ?? true { throw schema("<Gather timeout> must be a whole number ≥ 1") }
            let empty = attributes["actionOnEmptyResult"] ?? "false"
            guard empty == "true" || empty == "false" else { throw schema("<Gather actionOnEmptyResult> must be true or false") }
            try checkNoText(element)
            var prompt: [Verb] = []
            for child in element.elements {
                guard child.name == "Say" || child.name == "Pause" else {
                    throw schema("<Gather> may hold <Say> and <Pause> here, not <\(child.name)>")
                }
                prompt.append(try verb(child, documentURL: documentURL, nested: true))
            }
            return .gather(Gather(action: try attributes["action"].map { u throws(Failure) in try resolve(u, against: documentURL) },
                                  method: try method(attributes["method"], verb: "Gather"), input: input,
                                  speechTimeout: attributes["speechTimeout"], language: attributes["language"],
                                  actionOnEmptyResult: empty == "true", prompt: prompt))
        case "Dial" where !nested:
            var number = element.text.trimmingSpacesAndNewlines
            let nouns = element.elements
            if let noun = nouns.first {
                guard nouns.count == 1, noun.name == "Number", number.isEmpty else { throw schema("<Dial> holds one number, as text or one <Number>") }
                try checkAttributes(noun)
                number = noun.text.trimmingSpacesAndNewlines
            }
            guard !number.isEmpty else { throw schema("<Dial> has no number to call") }
            let timeout = attributes["timeout"].map { Int($0) } ?? 30
            guard let timeout, timeout >= 1 else { throw schema("<Dial timeout> must be a whole number ≥ 1") }
            return .dial(Dial(number: number, action: try attributes["action"].map { u throws(Failure) in try resolve(u, against: documentURL) },
                              method: try method(attributes["method"], verb: "Dial"), timeoutSeconds: timeout))
        case "Redirect" where !nested:
            guard element.elements.isEmpty else { throw schema("<Redirect> holds a URL only") }
            return .redirect(url: try resolve(element.text.trimmingSpacesAndNewlines, against: documentURL),
                             method: try method(attributes["method"], verb: "Redirect"))
        case "Hangup" where !nested:
            try checkNoText(element)
            return .hangup
        case "Gather", "Dial", "Redirect", "Hangup":
            throw schema("<\(element.name)> cannot be nested in another verb")
        default:
            if attributesKnown(element.name) { throw schema("<\(element.name)> is TwiML the sandbox does not play") }
            throw schema("<\(element.name)> is not a TwiML voice verb")
        }
    }

    private static func attributesKnown(_ name: String) -> Bool {
        ["Play", "Record", "Reject", "Enqueue", "Leave", "Connect", "Stream", "Start", "Stop", "Refer", "Pay", "Prompt", "Sms", "Echo",
         "Queue", "Conference", "Client", "Sip"].contains(name)
    }

    private static func checkAttributes(_ element: XMLElement) throws(Failure) {
        guard let allowed = attributes[element.name] else { return }
        for name in element.attributeOrder where !allowed.contains(name) {
            throw schema("<\(element.name)> has no attribute \"\(name)\""
                         + (allowed.isEmpty ? "" : " (it takes " + allowed.sorted().joined(separator: ", ") + ")"))
        }
    }

    private static func checkNoText(_ element: XMLElement) throws(Failure) {
        guard element.text.trimmingSpacesAndNewlines.isEmpty else { throw schema("<\(element.name)> holds no text") }
    }

    private static func method(_ value: String?, verb: String) throws(Failure) -> String {
        let method = value ?? "POST"
        guard method == "GET" || method == "POST" else { throw schema("<\(verb) method> must be GET or POST") }
        return method
    }

    /// An absolute http(s) URL, or a path resolved against the document's origin.
    static func resolve(_ url: String, against documentURL: String) throws(Failure) -> String {
        if url.hasPrefix("http://") || url.hasPrefix("https://") { return url }
        guard url.hasPrefix("/"), let schemeEnd = documentURL.firstRange(of: "://") else {
            throw schema("\"\(url)\" is not a URL the sandbox can follow (use an absolute URL or a path starting with /)")
        }
        let afterScheme = documentURL[schemeEnd.upperBound...]
        let origin = documentURL[..<(afterScheme.firstIndex(of: "/") ?? documentURL.endIndex)]
        return origin + url
    }

    private static func schema(_ message: String) -> Failure { Failure(code: 12200, message: message) }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingSpacesAndNewlines: String {
        var scalars = Substring(self).unicodeScalars[...]
        let blank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        while let first = scalars.first, blank(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, blank(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
