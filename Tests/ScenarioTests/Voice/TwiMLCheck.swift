import Sandbox

/// Checks one of Switchboard's TwiML answers strictly: well-formed XML (the sandbox's strict
/// parser), a `<Response>` holding only the verbs Switchboard uses — `<Say>`, `<Gather>`,
/// `<Dial>`, `<Hangup>` — each with exactly the attributes Switchboard sets, valued as the
/// tenant's voice settings say, and nothing after a verb that ends the turn.
struct TwiMLCheck {
    var voice: String
    var language: String
    /// The tenant's voice endpoint: every action URL extends it.
    var endpoint: String

    /// What is wrong with `twiml`; empty when it is valid.
    func problems(_ twiml: String) -> [String] {
        let root: XMLElement
        do {
            root = try XMLDocument.parse(Array(twiml.utf8))
        } catch {
            return ["not well-formed: \(error)"]
        }
        guard twiml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") else { return ["no XML declaration"] }
        var problems: [String] = []
        if root.name != "Response" { problems.append("the root is <\(root.name)>") }
        if !root.attributes.isEmpty { problems.append("<Response> has attributes") }
        if !root.text.allSatisfy({ $0 == " " || $0 == "\n" }) { problems.append("<Response> holds text") }
        for (index, verb) in root.elements.enumerated() {
            let isLast = index == root.elements.count - 1
            switch verb.name {
            case "Say":
                problems += say(verb)
            case "Gather":
                if !isLast { problems.append("<Gather> is not the last verb") }
                problems += attributes(verb, ["input": "speech", "method": "POST", "speechTimeout": "auto", "language": language,
                                              "actionOnEmptyResult": "true"], url: "action", urlSuffix: nil)
                if verb.elements.isEmpty { problems.append("<Gather> says nothing") }
                for child in verb.elements { problems += child.name == "Say" ? say(child) : ["<Gather> holds <\(child.name)>"] }
            case "Dial":
                problems += attributes(verb, ["method": "POST", "timeout": "20"], url: "action", urlSuffix: "&dial=1")
                let number = verb.text
                if !(number.hasPrefix("+") && number.dropFirst().allSatisfy(\.isNumber)) { problems.append("<Dial> calls \"\(number)\"") }
                if !verb.elements.isEmpty { problems.append("<Dial> holds elements") }
            case "Hangup":
                if !isLast { problems.append("<Hangup> is not the last verb") }
                if !verb.attributes.isEmpty || !verb.content.isEmpty { problems.append("<Hangup> is not empty") }
            default:
                problems.append("unexpected verb <\(verb.name)>")
            }
        }
        if root.elements.isEmpty { problems.append("<Response> is empty") }
        return problems
    }

    private func say(_ element: XMLElement) -> [String] {
        var problems = attributes(element, ["voice": voice, "language": language], url: nil, urlSuffix: nil)
        if element.text.isEmpty { problems.append("an empty <Say>") }
        if !element.elements.isEmpty { problems.append("<Say> holds elements") }
        return problems
    }

    /// Exactly `expected` (and the URL attribute `url`, extending the endpoint with a turn number).
    private func attributes(_ element: XMLElement, _ expected: [String: String], url: String?, urlSuffix: String?) -> [String] {
        var problems: [String] = []
        let names = Set(element.attributes.keys)
        let wanted = Set(expected.keys).union(url.map { [$0] } ?? [])
        if names != wanted { problems.append("<\(element.name)> has attributes \(names.sorted()), expected \(wanted.sorted())") }
        for (name, value) in expected where element.attributes[name] != value {
            problems.append("<\(element.name) \(name)=\"\(element.attributes[name] ?? "")\">, expected \"\(value)\"")
        }
        if let url {
            let value = element.attributes[url] ?? ""
            if !value.hasPrefix(endpoint + "?turn=") { problems.append("<\(element.name) \(url)> is \(value)") }
            if let urlSuffix, !value.hasSuffix(urlSuffix) { problems.append("<\(element.name) \(url)> does not end \(urlSuffix)") }
        }
        return problems
    }
}
