import Model
import Native

/// Turns YAML nodes into typed values, reporting each problem at its node and carrying on, so
/// one pass over a file finds every mistake in it.
final class ConfigReader {
    let file: String
    let environment: [String: String]
    let log = DiagnosticLog()
    let source: SourceText
    var index: LocationIndex
    /// What `{{#if}}` conditions may read, once the services are decoded.
    var conditionKeys: ConditionKeys?

    init(file: String, environment: [String: String], source: SourceText, root: YAMLNode) {
        self.file = file
        self.environment = environment
        self.source = source
        index = LocationIndex(root: root, source: source)
    }

    func error(_ message: String, at location: SourceLocation, path: String) {
        log.error(message, at: location, path: path)
    }

    func error(_ message: String, at node: YAMLNode, path: String) {
        log.error(message, at: node.location, path: path)
    }

    func mapping(_ node: YAMLNode, path: @autoclosure () -> String) -> MappingReader? {
        guard let pairs = node.mapping else {
            if node.value == .null { return MappingReader(node: node, pairs: [], path: path(), reader: self) }
            error("expected a mapping (`key: value` lines), got \(node.kindDescription)", at: node, path: path())
            return nil
        }
        return MappingReader(node: node, pairs: pairs, path: path(), reader: self)
    }

    func list(_ node: YAMLNode, path: @autoclosure () -> String) -> [YAMLNode]? {
        if let items = node.sequence { return items }
        if node.value == .null { return [] }
        error("expected a list (`- item` lines or `[a, b]`), got \(node.kindDescription)", at: node, path: path())
        return nil
    }

    func string(_ node: YAMLNode, path: @autoclosure () -> String) -> String? {
        guard let scalar = node.scalar, node.value != .null else {
            error("expected text, got \(node.kindDescription)", at: node, path: path())
            return nil
        }
        return scalar.text
    }

    func strings(_ node: YAMLNode, path: @autoclosure () -> String) -> [String]? {
        guard let items = list(node, path: path()) else { return nil }
        var result: [String] = []
        for (offset, item) in items.enumerated() {
            if let text = string(item, path: "\(path())[\(offset)]") { result.append(text) }
        }
        return result
    }

    func integer(_ node: YAMLNode, path: @autoclosure () -> String, in range: ClosedRange<Int>) -> Int? {
        switch node.value {
        case .int(let value)?:
            guard let number = Int(exactly: value), range.contains(number) else {
                error("must be between \(range.lowerBound) and \(range.upperBound), got \(value)", at: node, path: path())
                return nil
            }
            return number
        case .string(let text)? where Int(text) != nil:
            error("expected a whole number, got \(node.kindDescription) (remove the quotes)", at: node, path: path())
        default:
            error("expected a whole number, got \(node.kindDescription)", at: node, path: path())
        }
        return nil
    }

    func bool(_ node: YAMLNode, path: @autoclosure () -> String) -> Bool? {
        if case .bool(let flag)? = node.value { return flag }
        error("expected true or false, got \(node.kindDescription)", at: node, path: path())
        return nil
    }

    func duration(_ node: YAMLNode, path: @autoclosure () -> String) -> Duration? {
        if case .string(let text)? = node.value, let duration = DurationText.parse(text) { return duration }
        let hint = node.value.flatMap { if case .int(let n) = $0 { return " (add a unit: \(n)s, \(n)m)" } else { return nil } } ?? ""
        error("expected a duration like 30s, 15m, 2h or 1d, got \(node.kindDescription)\(hint)", at: node, path: path())
        return nil
    }

    func money(_ node: YAMLNode, path: @autoclosure () -> String, currency: Currency) -> Money? {
        let text: String
        switch node.value {
        case .int?, .float?:
            text = node.scalar!.text
        case .string(let quoted)? where (try? Money.parse(quoted, currency: currency).get()) != nil:
            error("expected an amount like 89.00, got \(node.kindDescription) (remove the quotes)", at: node, path: path())
            return nil
        default:
            error("expected an amount like 89.00, got \(node.kindDescription)", at: node, path: path())
            return nil
        }
        switch Money.parse(text, currency: currency) {
        case .success(let money): return money
        case .failure(.tooManyDecimals(let allowed)):
            error("\(text) has more decimals than \(currency.code) allows (\(allowed))", at: node, path: path())
        case .failure(.tooLarge):
            error("\(text) is too large for an amount", at: node, path: path())
        case .failure(.notADecimal):
            error(text.hasPrefix("-") ? "amounts cannot be negative, got \(text)" : "expected an amount like 89.00, got \(text)",
                  at: node, path: path())
        }
        return nil
    }

    func percent(_ node: YAMLNode, path: @autoclosure () -> String, max: Percent) -> Percent? {
        guard case .string(let text)? = node.value, let percent = Percent.parse(text) else {
            error("expected a percentage like 25%, got \(node.kindDescription)", at: node, path: path())
            return nil
        }
        guard percent <= max else {
            error("must be at most \(max), got \(percent)", at: node, path: path())
            return nil
        }
        return percent
    }

    /// A template, with parse errors placed inside the YAML value; its `{{#if}}` conditions are
    /// checked against `conditionKeys` (templates read before those are known may have none).
    func template(_ node: YAMLNode, path: @autoclosure () -> String) -> Template? {
        guard let text = string(node, path: path()) else { return nil }
        do throws(TemplateError) {
            let template = try Template(parsing: text)
            guard let first = template.conditions.first else { return template }
            guard let keys = conditionKeys else {
                throw TemplateError("`{{#if}}` is for message templates; this text cannot use conditions", line: first.line, column: first.column)
            }
            return try template.resolvingConditions { (source: String) throws(ConditionError) -> ConditionExpression in
                var parser = ConditionParser(keys: keys)
                return try parser.parse(source)
            }
        } catch {
            let origin = TextOrigin(node: node, source: source)
            self.error(error.message, at: origin.locate(line: error.line, column: error.column), path: path())
            return nil
        }
    }

    /// Text with `${NAME}` and `${NAME:-default}` replaced from the loader's environment.
    func expanded(_ node: YAMLNode, path: @autoclosure () -> String) -> String? {
        guard let text = string(node, path: path()) else { return nil }
        switch EnvironmentReference.expand(text, environment: environment) {
        case .success(let result): return result.text
        case .failure(let problem):
            let origin = TextOrigin(node: node, source: source)
            error(problem.message, at: origin.locate(offset: problem.offset, in: text), path: path())
            return nil
        }
    }

    /// A secret: expanded like `expanded`, remembering the variable it came from. Unless it is an
    /// identifier (`isIdentifier`: a Twilio account SID, an SMTP user name), it must come from the
    /// environment: a literal in the file is refused, with where to put it instead.
    func secret(_ node: YAMLNode, path: @autoclosure () -> String, isIdentifier: Bool = false) -> Secret? {
        guard let text = string(node, path: path()) else { return nil }
        switch EnvironmentReference.expand(text, environment: environment) {
        case .success(let result) where result.variables.isEmpty && !isIdentifier:
            let name = Self.variableName(for: path())
            error("a secret written into the file: set it in the environment and write ${\(name)} here "
                  + "(or ${\(name):-value} for a sandbox default), so it stays out of the file and the repository", at: node, path: path())
            return Secret(result.text, source: nil)  // reported; kept so nothing that needs it is reported too
        case .success(let result):
            guard !result.text.isEmpty else {
                error("is empty" + (result.variables.first.map { ": $\($0) is set to nothing" } ?? ""), at: node, path: path())
                return nil
            }
            return Secret(result.text, source: result.variables.count == 1 ? result.variables[0] : nil)
        case .failure(let problem):
            let origin = TextOrigin(node: node, source: source)
            error(problem.message, at: origin.locate(offset: problem.offset, in: text), path: path())
            return nil
        }
    }

    /// A secret setting: one reference, as `secret` reads it, or during a rotation a list of up
    /// to `SecretSet.maximumCount`, the new first (`["${STRIPE_WHSEC_NEW}", "${STRIPE_WHSEC_OLD}"]`:
    /// inside brackets YAML reads `{` as a mapping, hence the quotes).
    /// Each entry is read by `secret` and reported at its own position; an empty list, a fourth
    /// entry and an entry that repeats another are reported too.
    func secrets(_ node: YAMLNode, path: @autoclosure () -> String, isIdentifier: Bool = false) -> SecretSet? {
        guard let items = node.sequence else { return secret(node, path: path(), isIdentifier: isIdentifier).map(SecretSet.init) }
        let path = path()
        guard !items.isEmpty else {
            error("is an empty list: write one ${VAR}, or during a rotation the new and the old, as [\"${NEW}\", \"${OLD}\"]",
                  at: node, path: path)
            return SecretSet(Secret(""))  // reported; kept so nothing that needs the setting is reported too
        }
        let ordinals = ["first", "second", "third"]
        var secrets: [Secret] = []
        for (offset, item) in items.enumerated() {
            let itemPath = "\(path)[\(offset)]"
            guard offset < SecretSet.maximumCount else {
                error("at most \(SecretSet.maximumCount) secrets: the new one first, then those still accepted; "
                      + "remove the oldest once no webhook is signed with it", at: item, path: itemPath)
                break
            }
            guard let secret = secret(item, path: itemPath, isIdentifier: isIdentifier) else { continue }
            if let earlier = secrets.firstIndex(where: { $0.reveal() == secret.reveal() }) {
                let other = secrets[earlier]
                if let name = secret.source, let otherName = other.source, name != otherName {
                    error("$\(name) holds the same secret as the \(ordinals[earlier]) entry ($\(otherName)): a rotation lists "
                          + "different secrets, so set $\(name) to the other one or list one", at: item, path: itemPath)
                } else {
                    error("repeats the \(ordinals[earlier]) entry: list each secret once, the new one first", at: item, path: itemPath)
                }
                continue
            }
            secrets.append(secret)
        }
        return SecretSet(secrets) ?? SecretSet(Secret(""))  // none left: each was reported
    }

    /// A variable name for the setting at `path`: `integrations.crm.credentials.access_token` →
    /// `CRM_ACCESS_TOKEN`, `channels.webhooks.twilio-voice.secret` → `TWILIO_VOICE_WEBHOOK_SECRET`;
    /// for an entry of a rotation's list, `…secret[0]` → `…_NEW`, `[1]` → `…_OLD`, `[2]` → `…_OLDER`.
    static func variableName(for path: String) -> String {
        var path = Substring(path)
        var suffix = ""
        if path.hasSuffix("]"), let open = path.lastIndex(of: "["),
           let index = Int(path[path.index(after: open)..<path.index(before: path.endIndex)]) {
            suffix = index == 0 ? "_NEW" : index == 1 ? "_OLD" : "_OLDER"
            path = path[..<open]
        }
        return variableWords(for: String(path)) + suffix
    }

    private static func variableWords(for path: String) -> String {
        let parts = path.split(separator: ".").map(String.init)
        var words: [String]
        if parts.first == "channels", parts.count >= 3 {
            words = [parts[2], "webhook", "secret"]
        } else if parts.count >= 2 {
            words = [parts[1], parts.last ?? "secret"]
        } else {
            words = parts
        }
        if words.count == 2, words[0] == "systems", parts.count >= 3 { words = [parts[2], parts.last ?? "secret"] }
        return words.joined(separator: "_").uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce(into: "") { $0.append($1) }
    }

    /// A name from a fixed set, with a suggestion when it is close to one.
    func choice<T>(_ node: YAMLNode, path: @autoclosure () -> String, from options: [(String, T)], what: String) -> T? {
        guard let text = string(node, path: path()) else { return nil }
        if let match = options.first(where: { $0.0 == text }) { return match.1 }
        let names = options.map(\.0)
        let hint = EditDistance.suggestion(for: text, among: names).map { " (did you mean \"\($0)\"?)" }
            ?? "; expected one of: " + names.joined(separator: ", ")
        error("unknown \(what) \"\(text)\"\(hint)", at: node, path: path())
        return nil
    }

    /// One of `options`, or a non-empty list of them without repeats, in the file's order.
    func choices<T>(_ node: YAMLNode, path: @autoclosure () -> String, from options: [(String, T)], what: String) -> [T]? {
        guard node.sequence != nil else { return choice(node, path: path(), from: options, what: what).map { [$0] } }
        guard let items = list(node, path: path()) else { return nil }
        if items.isEmpty {
            error("expected at least one \(what): " + options.map(\.0).joined(separator: ", "), at: node, path: path())
            return nil
        }
        var result: [T] = []
        var seen: Set<String> = []
        var isValid = true
        for (offset, item) in items.enumerated() {
            let itemPath = "\(path())[\(offset)]"
            guard let value = choice(item, path: itemPath, from: options, what: what) else {
                isValid = false
                continue
            }
            if let text = item.scalar?.text, !seen.insert(text).inserted {
                error("\(what) \"\(text)\" is listed twice; each is tried once, so list it once", at: item, path: itemPath)
                isValid = false
                continue
            }
            result.append(value)
        }
        return isValid ? result : nil
    }

    /// An identifier: lowercase letters, digits and `_` (and `-` where `allowDash`).
    func identifier(_ node: YAMLNode, path: @autoclosure () -> String, allowDash: Bool = false) -> String? {
        guard let text = string(node, path: path()) else { return nil }
        let valid = !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy {
            ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "_") || (allowDash && $0 == UInt8(ascii: "-"))
        }
        guard valid else {
            error("\"\(text)\" is not a valid id: use lowercase letters, digits and _\(allowDash ? " or -" : "")", at: node, path: path())
            return nil
        }
        return text
    }
}
