import Model
import Native
import Routing
import Storage

/// `switchboard simulate TENANT_FILE --text "..."`: a dry run of one request through the tenant
/// file's real state machine and agents, with every provider replaced by the sandbox in this
/// process, printing the path taken, each decision and its reasons, the price and the messages
/// that would be sent. Operators check an edit before saving it.
enum SimulateCommand {
    static var help: String {
        """
        Usage: switchboard simulate TENANT_FILE --text TEXT [options]

        Runs one request through TENANT_FILE's flows with the real engine and agents, against the
        simulated providers in this process: nothing is sent, booked or charged anywhere. Prints the
        path taken, each decision with its reasons, the price and the messages that would be sent.
        ${VAR}s resolve against this environment; the ones it lacks get placeholders, and every
        integration is pointed at the in-process sandbox whatever the file says.

        Options:
          --text TEXT                 what the customer writes
          --from PHONE                the customer's phone, E.164 (default \(SimulationRequest.defaultPhone) without --email)
          --email ADDRESS             the customer's email
          --name NAME                 the customer's name
          --channel api|sms           how the request arrives (default api)
          --service ID                a service the caller names
          --field KEY=VALUE           a field of the API request, repeatable (--field postal_code=78704)
          --at TIME                   when the request arrives, for every decision: 2026-11-23T09:00 in the
                                      tenant's time zone, or ISO 8601 with an offset (default: now)
          --approve, --reject         when the flow waits for an operator's approval, decide and go on
          --reply TEXT                when the flow asks the customer, this is the answer (repeatable, in order)
          --json                      print the trace as JSON instead of text
          --help                      this text

        Exit status: 0 when the dry run ran (whatever its outcome), 1 when the file has problems, 2 for usage.

        """
    }

    static let flags: [Flag] = ["text", "from", "email", "name", "channel", "service", "at"].map {
        Flag(name: $0, environment: nil, valueName: "VALUE", help: "", defaultValue: nil)
    }

    static func run(_ arguments: [String], environment: [String: String]) throws -> Int32 {
        ToolLogging.quiet(environment)
        var arguments = arguments
        let fields = try RepeatedFlag.extract("field", from: &arguments)
        let replies = try RepeatedFlag.extract("reply", from: &arguments)
        let parsed = try ParsedFlags.parse(arguments, flags: flags, switchNames: ["help", "approve", "reject", "json"],
                                           allowPositional: true, environment: [:])
        if parsed.contains("help") {
            print(help, terminator: "")
            return 0
        }
        guard parsed.positional.count == 1, let file = parsed.positional.first else {
            throw UsageError("simulate takes one tenant file, such as tenants/acme-plumbing.yaml")
        }
        guard !(parsed.contains("approve") && parsed.contains("reject")) else { throw UsageError("give --approve or --reject, not both") }
        var request = SimulationRequest()
        request.text = parsed["text"]
        guard request.text?.isEmpty == false else { throw UsageError("simulate needs --text, what the customer writes") }
        if let channel = parsed["channel"] {
            guard channel == "api" || channel == "sms" else { throw UsageError("--channel must be api or sms") }
            request.channel = channel == "sms" ? .sms : .api
        }
        request.from = Interaction.Party(phone: parsed["from"], email: parsed["email"]?.lowercased(), name: parsed["name"])
        if request.from.phone == nil && request.from.email == nil {
            request.from.phone = SimulationRequest.defaultPhone
            request.usedDefaultPhone = true
        }
        request.service = parsed["service"]
        for field in fields {
            let (key, value) = try SimulationRequest.field(field)
            request.fields[key] = value
        }
        request.replies = replies
        if parsed.contains("approve") { request.approval = true }
        if parsed.contains("reject") { request.approval = false }

        let dryRun: DryRun
        do {
            dryRun = try DryRun(tenantFile: file, environment: environment)
        } catch let error as ConfigError {
            SwitchboardCommand.printError(error.description)
            return 1
        }
        defer { dryRun.shutdown() }
        if let text = parsed["at"] {
            guard let millis = SimulationRequest.time(text, zone: dryRun.config.identity.timeZone) else {
                throw UsageError("--at expects a time such as 2026-11-23T09:00 (the tenant's time zone) or 2026-11-23T15:00:00Z; got '\(text)'")
            }
            request.at = millis
        }
        let ready = request
        let outcome = try BlockingTask.run { try await simulate(ready, on: dryRun) }
        print(parsed.contains("json") ? outcome.trace.serialized() : outcome.render(file: file, dryRun: dryRun))
        return 0
    }

    /// The trace of the simulated request and what the simulation did on the way.
    struct Outcome: Sendable {
        var trace: JSON
        var request: SimulationRequest
        var receivedAt: Int64
        var notes: [String]

        func render(file: String, dryRun: DryRun) -> String {
            let config = dryRun.config
            let zone = config.identity.timeZone
            var out = "Dry run of \(file): \(config.id) (\(config.identity.name)), version \(dryRun.snapshot.version)\n"
            out += "As of \(SimulationRequest.describe(receivedAt, zone: zone)) (\(zone.identifier)); nothing left this machine: "
                + "every provider was the sandbox in this process.\n"
            let from = [request.from.name, request.from.phone, request.from.email].compactMap { $0 }.joined(separator: ", ")
            out += "Request: \(request.channel.rawValue) from \(from)\(request.usedDefaultPhone ? " (default)" : ""): \"\(request.text ?? "")\""
            if !request.fields.isEmpty { out += " with fields \(JSON.object(request.fields).serialized())" }
            out += "\n"
            if !dryRun.loaded.placeholders.isEmpty {
                out += "Placeholders for variables this environment lacks: \(dryRun.loaded.placeholders.joined(separator: ", "))\n"
            }
            for note in dryRun.loaded.notes + notes { out += "Note: \(note)\n" }
            out += "\n" + TraceReport(trace: trace, messagesHeading: "Messages that would be sent").render()
            return out
        }
    }

    static func simulate(_ request: SimulationRequest, on dryRun: DryRun) async throws -> Outcome {
        let now = Clock.unixMillis()
        let receivedAt = request.at ?? now
        var notes: [String] = []
        if receivedAt < now - 60_000 {
            notes.append("--at is in the past: the sandbox calendar offers no times before the real now")
        }
        let engine = dryRun.makeEngine(clock: .asReceived)
        let tenant = dryRun.config.id.rawValue
        let interaction = request.interaction(tenant: tenant, receivedAt: receivedAt)
        var record = try await dryRun.run(interaction, on: engine)
        var replies = request.replies[...]
        while true {
            if record.status == .awaitingApproval, let approve = request.approval {
                let state = record.state ?? "the approval step"
                record = try await engine.decide(tenant: tenant, id: record.id, approve: approve, by: "simulation", note: nil)
                notes.append("the simulation \(approve ? "approved" : "rejected") the request at \(state)")
            } else if record.status == .awaitingReply, let reply = replies.popFirst() {
                var answer = request
                answer.channel = .sms
                answer.text = reply
                answer.fields = [:]
                let delivered = answer.interaction(tenant: tenant, receivedAt: receivedAt + 60_000)
                _ = try await dryRun.run(delivered, on: engine)
                record = try await dryRun.settle(record.id, on: engine)
                notes.append("the customer replied \"\(reply)\"")
            } else {
                break
            }
        }
        switch record.status {
        case .awaitingApproval: notes.append("the flow waits for an operator's approval: add --approve or --reject to go on")
        case .awaitingReply: notes.append("the flow waits for the customer's reply: add --reply TEXT to go on")
        case .retrying: notes.append("a step failed and would be retried later; the dry run stops here")
        default: break
        }
        return Outcome(trace: try await dryRun.trace(record.id), request: request, receivedAt: receivedAt, notes: notes)
    }
}
