import Model

/// `switchboard trace ID --tenant T (--url URL | --db PATH) [--json]`: an interaction's trace
/// from a running server or its database: the path, each decision and its reasons, the provider
/// calls, the price and the messages sent.
enum TraceCommand {
    static var help: String {
        """
        Usage: switchboard trace ID --tenant T (--url URL | --db PATH) [--json]

        Prints an interaction's trace: its outcome, the path through the flow, each decision with its
        reasons and provider calls, the price and the messages sent.

        Options:
        \(Flag.helpLines(OperatorTarget.flags))
          --json                      the trace as the API returns it
          --help                      this text

        """
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        ToolLogging.quiet(environment)
        let parsed = try ParsedFlags.parse(arguments, flags: OperatorTarget.flags, switchNames: ["help", "json"], allowPositional: true,
                                           environment: environment)
        if parsed.contains("help") {
            print(help, terminator: "")
            return 0
        }
        guard parsed.positional.count == 1, let id = InteractionID(parsed.positional[0]) else {
            throw UsageError("trace takes one interaction id, such as int_01JD2M3XK8Q4N6V9T0R5B7C1E2")
        }
        let (target, tenant) = try OperatorTarget.resolve(parsed, environment: environment)
        let trace = try BlockingTask.run { () async throws -> JSON in
            switch target {
            case .server(let url, let key):
                return try await OperatorTarget.call("GET", url: url, key: key, tenant: tenant, path: "/interactions/\(id)")
            case .database(let path):
                return try await OperatorTarget.trace(database: path, tenant: tenant, id: id)
            }
        }
        if parsed.contains("json") {
            print(trace.serialized())
        } else {
            print("Interaction \(id) of \(tenant), received \(trace["created_at"]?.textValue ?? "?"), configuration \(trace["config_version"]?.stringValue ?? "?")")
            if let text = trace["text"]?.stringValue { print("Request: \(trace["channel"]?.textValue ?? "?") from \(trace["customer"]?.stringValue ?? "?"): \"\(text)\"") }
            print("")
            print(TraceReport(trace: trace).render(), terminator: "")
        }
        return 0
    }
}
