import Model
import Routing

/// What operators write: tenant files and the templates inside them.
enum ConfigTargets {
    /// A tenant file either loads or is refused with located diagnostics; it never traps.
    static let tenantFile: FuzzTarget = { input in
        let loader = TenantConfigLoader(environment: ["ACME_STRIPE_KEY": "sk_test_x", "SWITCHBOARD_SANDBOX_URL": "http://127.0.0.1:8089"])
        do {
            _ = try loader.load(bytes: Array(input), file: "fuzz.yaml")
        } catch let error as ConfigError {
            precondition(!error.diagnostics.isEmpty, "a refused tenant file has no diagnostics")
            for diagnostic in error.diagnostics {
                precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1,
                             "a diagnostic has no position: \(diagnostic)")
                precondition(!diagnostic.message.isEmpty, "a diagnostic has no message")
            }
        } catch {
            preconditionFailure("the loader threw something other than ConfigError: \(error)")
        }
    }

    static let environment = TemplateEnvironment(timeZone: .utc, currency: .usd)
    static let context: JSON = [
        "customer": ["name": "Dana", "phone": "+15125550100", "tags": ["vip"]],
        "slot": ["start": "2026-11-23T13:00:00Z"],
        "price": ["total": 14_900, "deposit": 3725, "currency": "USD"],
        "count": 3, "ratio": 0.25, "flag": true, "missing": nil,
    ]

    /// `template\0context-json`: a template that parses renders against any context without
    /// trapping, and a template with no variables renders as itself. Its `{{#if}}` conditions are
    /// type-checked against the catalogue's keys (the condition parser's input); a condition that
    /// checks renders one of its parts whatever the context holds, and is refused at a position
    /// inside the template when it does not.
    static let template: FuzzTarget = { input in
        let parts = FuzzInput(input).parts(2)
        let source = String(decoding: parts[0], as: UTF8.self)
        guard let template = try? Template(parsing: source) else { return }
        let context = (try? JSONParser.parse(parts[1])) ?? context
        let rendered = template.render(context, in: environment)
        if template.isConstant, !source.contains("{{"), !source.contains("}}") {
            precondition(rendered == source, "a template without variables changed its text")
        }
        guard !template.conditions.isEmpty else { return }
        do throws(TemplateError) {
            let resolved = try template.resolvingConditions { (text: String) throws(ConditionError) -> ConditionExpression in
                var parser = ConditionParser(keys: keys)
                return try parser.parse(text)
            }
            _ = resolved.render(context, in: environment)
        } catch {
            // Positions count line feeds, as the parser does; "\r\n" is one Character, so the
            // lines are counted over the UTF-8 bytes.
            let lines = source.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            precondition(error.line >= 1 && error.line <= lines && error.column >= 1, "a condition's error lies outside the template: \(error)")
        }
    }

    static let keys = ConditionKeys(types: AgentCatalog.conditionKeys.merging(["fields.size": .choice(["small", "large"]),
                                                                               "fields.rooms": .number]) { $1 },
                                    namespaces: AgentCatalog.conditionNamespaces, currency: .usd)
}
