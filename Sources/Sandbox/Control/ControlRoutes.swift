import HTTP
import Model
import Synchronization

/// The sandbox's own endpoints under `/sandbox`: what was sent (outbox), the state dump, faults,
/// webhook targets, event types, and the customer's side of things (pay a checkout, cancel a
/// booking, text the business), which send the matching signed webhooks.
struct ControlRoutes {
    let context: SandboxContext
    let stripe: StripeSimulator
    let twilio: TwilioSimulator
    let hubspot: HubSpotSimulator
    let calcom: CalComSimulator
    let voice: VoiceSimulator
    let smtpURL: @Sendable () -> String?

    func register(on routes: RouterBuilder) {
        let context = self.context
        routes.add(.get, "/sandbox", control { _ in .json(self.index) })
        routes.add(.get, "/sandbox/outbox", control { request in
            let query = request.queryItems
            let entries = context.outbox.list(kind: query["kind"], party: query["to"] ?? query["party"], limit: Int(query["limit"] ?? "") ?? 100)
            if query["format"] == "html" { return .text(OutboxPage.render(entries), contentType: "text/html; charset=utf-8") }
            return .json(["messages": .array(entries.map(\.json))])
        })
        routes.add(.get, "/sandbox/state", control { _ in .json(self.state) })
        routes.add(.post, "/sandbox/reset", control { _ in
            self.reset()
            return .json(["reset": true])
        })
        routes.add(.get, "/sandbox/faults", control { _ in .json(["faults": .array(context.faults.current.map(\.json))]) })
        routes.add(.post, "/sandbox/faults", control { request in
            let rules = try Self.rules(request.json)
            for rule in rules { context.faults.add(rule) }
            return .json(["faults": .array(context.faults.current.map(\.json))], status: .created)
        })
        routes.add(.delete, "/sandbox/faults", control { _ in
            context.faults.clear()
            return .json(["faults": []])
        })
        routes.add(.get, "/sandbox/webhooks", control { _ in .json(["webhooks": .array(context.webhooks.registered.map(\.publicJSON))]) })
        routes.add(.post, "/sandbox/webhooks", control { request in
            let target = try WebhookTarget(json: request.json ?? .null)
            context.webhooks.register(target)
            return .json(target.publicJSON, status: .created)
        })
        routes.add(.post, "/sandbox/calcom/event-types", control { request in
            let type = try SandboxEventType(json: request.json ?? .null)
            self.calcom.define(type)
            return .json(["id": .int(type.id), "length_minutes": .int(Int64(type.lengthInMinutes)), "time_zone": .string(type.timeZone)],
                         status: .created)
        })
        registerCustomerActions(on: routes)
        registerCalls(on: routes)
        routes.add(.post, "/sandbox/echo", context.faults.guarded(.sandbox) { request in
            HTTPResponse(status: .ok, headers: [("Content-Type", request.headers["Content-Type"] ?? "application/octet-stream")],
                         body: request.body)
        })
    }

    private func registerCustomerActions(on routes: RouterBuilder) {
        routes.add(.get, "/sandbox/checkout/{id}", control { request in
            let id = request.parameters["id"] ?? ""
            guard let session = self.stripe.store.withLock({ $0.objects[id]?.json }) else { throw SandboxError.notFound("no checkout session \(id)") }
            return .text(CheckoutPage.render(session), contentType: "text/html; charset=utf-8")
        })
        routes.add(.post, "/sandbox/checkout/{id}/pay", control { request in
            let result = try await self.stripe.payCheckoutSession(request.parameters["id"] ?? "")
            // The demo's pay button: back to the merchant's page like Stripe Checkout does.
            if request.mediaType == "application/x-www-form-urlencoded", let url = result.value(at: "session.success_url")?.stringValue {
                return HTTPResponse(status: HTTPStatus(303), headers: [("Location", url)])
            }
            return .json(result)
        })
        routes.add(.post, "/sandbox/payment_intents/{id}/succeed", control { request in
            .json(try await self.stripe.succeedPaymentIntent(request.parameters["id"] ?? ""))
        })
        routes.add(.post, "/sandbox/calcom/bookings/{uid}/cancel", control { request in
            let reason = request.json?["reason"]?.stringValue ?? "Cancelled by the attendee"
            let scope: CalComSimulator.CancelScope = request.json?["all_remaining"]?.boolValue == true ? .allRemaining
                : request.json?["cancel_subsequent"]?.boolValue == true ? .subsequent : .one
            return .json(try await self.calcom.cancelFromCalendar(request.parameters["uid"] ?? "", reason: reason, scope: scope,
                                                                  request: request))
        })
        routes.add(.post, "/sandbox/sms/inbound", control { request in
            guard let json = request.json, let from = json["from"]?.stringValue, let to = json["to"]?.stringValue,
                  let body = json["body"]?.stringValue else {
                throw SandboxError.badRequest("send {\"from\":\"+1…\",\"to\":\"+1…\",\"body\":\"…\"} (account optional)")
            }
            return .json(try await self.twilio.receiveInbound(from: from, to: to, body: body, account: json["account"]?.stringValue))
        })
    }

    /// The caller's side of a phone call (`VoiceSimulator`).
    private func registerCalls(on routes: RouterBuilder) {
        routes.add(.get, "/sandbox/voice/calls", control { _ in .json(["calls": self.voice.list]) })
        routes.add(.get, "/sandbox/voice/calls/{sid}", control { request in .json(try self.voice.transcript(request.parameters["sid"] ?? "")) })
        routes.add(.post, "/sandbox/voice/calls", control { request in
            guard let json = request.json, let from = json["from"]?.stringValue, !from.isEmpty, let to = json["to"]?.stringValue,
                  TwilioSimulator.isPhoneNumber(to) else {
                throw SandboxError.badRequest("send {\"from\":\"+1…\",\"to\":\"+1… (the tenant's number)\"}; "
                                              + "optional: account, operator (completed, busy, no-answer or failed)")
            }
            let answer = json["operator"]?.stringValue ?? "completed"
            guard ["completed", "busy", "no-answer", "failed"].contains(answer) else {
                throw SandboxError.badRequest("operator must be completed, busy, no-answer or failed (how a transfer ends)")
            }
            return .json(try await self.voice.start(from: from, to: to, account: json["account"]?.stringValue, operatorAnswer: answer),
                         status: .created)
        })
        routes.add(.post, "/sandbox/voice/calls/{sid}/speech", control { request in
            let json = request.body.isEmpty ? JSON.object([:]) : request.json
            guard let json, json.objectValue != nil else {
                throw SandboxError.badRequest("send {\"speech\":\"what the caller says\",\"confidence\":0.9}, or {} for silence")
            }
            let confidence = json["confidence"]?.doubleValue ?? 0.92
            guard (0...1).contains(confidence) else { throw SandboxError.badRequest("confidence must be between 0 and 1") }
            return .json(try await self.voice.speak(request.parameters["sid"] ?? "", speech: json["speech"]?.stringValue,
                                                    confidence: confidence))
        })
        routes.add(.post, "/sandbox/voice/calls/{sid}/hangup", control { request in
            let status = request.json?["status"]?.stringValue ?? "completed"
            return .json(try await self.voice.hangUp(request.parameters["sid"] ?? "", status: status))
        })
    }

    private var index: JSON {
        let base = context.baseURL
        var object: JSONObject = ["stripe": .string("\(base)/stripe"), "twilio": .string("\(base)/twilio"),
                                  "hubspot": .string("\(base)/hubspot"), "calcom": .string("\(base)/calcom"),
                                  "slack": .string("\(base)/slack/services/T000/B000/sandbox"), "outbox": .string("\(base)/sandbox/outbox")]
        object["smtp"] = smtpURL().map { .string($0) } ?? .null
        return .object(object)
    }

    /// Counts and objects per provider, duplicates, and the requests each route received.
    var state: JSON {
        let requests = context.faults.requestCounts.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSON.int(Int64($0.value))) }
        return ["stripe": stripe.store.withLock { $0.summary },
                "twilio": ["messages": .int(Int64(twilio.count)), "duplicates": twilio.duplicates, "calls": .int(Int64(voice.count))],
                "hubspot": hubspot.store.withLock { $0.summary },
                "calcom": calcom.store.withLock { $0.summary },
                "slack": ["posts": .int(Int64(context.outbox.count(kind: "slack")))],
                "smtp": ["emails": .int(Int64(context.outbox.count(kind: "email")))],
                "requests": .object(JSONObject(requests))]
    }

    func reset() {
        stripe.store.withLock { $0 = StripeStore() }
        hubspot.store.withLock { $0 = HubSpotStore() }
        calcom.store.withLock { store in
            let types = store.eventTypes
            store = CalComStore()
            store.eventTypes = types
        }
        twilio.reset()
        voice.reset()
        context.outbox.clear()
        context.faults.resetCounts()
    }

    static func rules(_ json: JSON?) throws(SandboxError) -> [FaultRule] {
        guard let json else { throw SandboxError.badRequest("send a fault rule object or {\"rules\":[…]}") }
        if let array = json["rules"]?.arrayValue ?? json.arrayValue {
            var rules: [FaultRule] = []
            for element in array { rules.append(try FaultRule(json: element)) }
            return rules
        }
        return [try FaultRule(json: json)]
    }

    /// An async control handler whose `SandboxError`s become `{"error":{"code","message"}}`.
    private func control(_ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) -> HTTPHandler {
        .async { request in
            do {
                return try await body(request)
            } catch let error as SandboxError {
                return SandboxProvider.sandbox.errorResponse(status: error.status, message: error.message, path: String(request.path))
            } catch let answer as SandboxAnswer {
                return answer.response
            }
        }
    }
}
