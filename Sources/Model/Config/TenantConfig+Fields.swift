extension TenantConfig {
    /// A request's `fields` checked against the declared fields: each known and of its type,
    /// normalised as the context keeps it, and every required one given (or said in `text`).
    /// A tenant that declares no fields takes any fields as they are.
    ///
    /// - Returns: the normalised fields, or the first problem in the order the request lists them.
    public func checkFields(_ fields: JSONObject, text: String?, service serviceID: String?) -> Result<JSONObject, FieldProblem> {
        let declared = allFields
        guard !declared.isEmpty else { return .success(fields) }
        let explicit = serviceID.flatMap { service(id: $0) }
        // With a named service, only its fields and the tenant's; otherwise any service's, since
        // the service is recognised later.
        let accepted = explicit.map { self.fields + $0.fields } ?? declared
        var result = JSONObject()
        for (name, value) in fields {
            guard let field = accepted.first(where: { $0.name == name }) else {
                let names = accepted.map(\.name)
                let hint = EditDistance.hint(for: name, among: names)
                let scope = explicit.map { " for \($0.id)" } ?? ""
                return .failure(FieldProblem(field: name, message: "unknown field\(hint); accepted\(scope): " + names.joined(separator: ", ")))
            }
            switch field.normalize(value) {
            case .success(let normalised): result[name] = normalised
            case .failure(let problem): return .failure(problem)
            }
        }
        let words = WordMatch.words(of: text ?? "")
        for field in self.fields + (explicit?.fields ?? []) where field.isRequired && result[field.name] == nil {
            guard field.read(from: words) == nil else { continue }
            return .failure(FieldProblem(field: field.name, message: "required: \(field.expectation)"))
        }
        return .success(result)
    }

    /// The fields the customer's words set, for declared fields the request does not give, and
    /// the phrase that set each.
    public func fieldsFromText(_ text: String?, given: JSONObject) -> (fields: JSONObject, phrases: JSONObject) {
        guard let text, !text.isEmpty else { return ([:], [:]) }
        let words = WordMatch.words(of: text)
        var fields = JSONObject()
        var phrases = JSONObject()
        for field in allFields where given[field.name] == nil && fields[field.name] == nil && !field.aliases.isEmpty {
            guard let (value, phrase) = field.read(from: words) else { continue }
            fields[field.name] = value
            phrases[field.name] = .string(phrase)
        }
        return (fields, phrases)
    }
}
