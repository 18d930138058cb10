import HTTP
import Model
import Native
import Synchronization

/// Simulated Twilio under `/twilio`: the Messages resource with Basic auth, Twilio's error codes,
/// status callbacks signed like Twilio's, and inbound texts sent to a registered target.
final class TwilioSimulator: Sendable {
    private let messages = Mutex<[String: (account: String, json: JSON, sequence: Int)]>([:])
    private let sequence = Mutex(0)
    private let context: SandboxContext
    private let logger = Logger(label: "sandbox")

    init(context: SandboxContext) {
        self.context = context
    }

    func register(on routes: RouterBuilder) {
        let faults = context.faults
        routes.add(.post, "/twilio/2010-04-01/Accounts/{AccountSid}/Messages.json", faults.guarded(.twilio) { [self] request in
            try create(request)
        })
        routes.add(.get, "/twilio/2010-04-01/Accounts/{AccountSid}/Messages.json", faults.guarded(.twilio) { [self] request in
            try list(request)
        })
        routes.add(.get, "/twilio/2010-04-01/Accounts/{AccountSid}/Messages/{file}", faults.guarded(.twilio) { [self] request in
            let account = try authenticate(request)
            let sid = (request.parameters["file"] ?? "").replacing(".json", with: "")
            guard let message = messages.withLock({ $0[sid] }), message.account == account else {
                throw Self.error(404, 20404, "The requested resource \(request.path) was not found")
            }
            return .json(message.json)
        })
    }

    var count: Int { messages.withLock { $0.count } }

    func reset() { messages.withLock { $0.removeAll() } }

    /// Messages per recipient and body: more than one means a text was sent twice.
    var duplicates: JSON {
        let counts = messages.withLock { messages in
            Dictionary(grouping: messages.values, by: { "\($0.json["to"]?.stringValue ?? "") \($0.json["body"]?.stringValue ?? "")" })
                .mapValues(\.count).filter { $0.value > 1 }
        }
        return .object(JSONObject(counts.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSON.int(Int64($0.value))) }))
    }

    /// The Account SID in the path, checked against HTTP Basic (`AccountSid:AuthToken`).
    private func authenticate(_ request: HTTPRequest) throws -> String {
        let account = request.parameters["AccountSid"] ?? ""
        guard account.utf8.count == 34, account.hasPrefix("AC"), account.dropFirst(2).allSatisfy(\.isHexDigit) else {
            throw Self.error(404, 20404, "The requested resource \(request.path) was not found")
        }
        guard let (user, password) = request.basicCredentials, user == account, !password.isEmpty else {
            throw Self.error(401, 20003, "Authenticate")
        }
        if let target = context.webhooks.target(.twilio, account: account), target.account == account, target.secret != password {
            throw Self.error(401, 20003, "Authenticate")
        }
        return account
    }

    private func create(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try authenticate(request)
        guard let form = FormFields(request.body) else { throw Self.error(400, 20001, "Could not decode the request body") }
        guard let to = form["To"], !to.isEmpty else { throw Self.error(400, 21604, "A 'To' phone number is required.") }
        guard Self.isPhoneNumber(to) else { throw Self.error(400, 21211, "Invalid 'To' Phone Number: \(to)") }
        let from = form["From"]
        let service = form["MessagingServiceSid"]
        guard from != nil || service != nil else { throw Self.error(400, 21603, "A 'From' phone number is required.") }
        let body = form["Body"] ?? ""
        guard !body.isEmpty || form["MediaUrl"] != nil || form["ContentSid"] != nil else {
            throw Self.error(400, 21602, "Message body is required.")
        }
        guard body.count <= 1600 else { throw Self.error(400, 21617, "The concatenated message body exceeds the 1600 character limit.") }
        let sid = SandboxIDs.hex("SM")
        let now = SandboxTime.rfc2822(SandboxTime.unixSeconds())
        let message: JSONObject = [
            "account_sid": .string(account), "api_version": "2010-04-01", "body": .string(body), "date_created": .string(now),
            "date_sent": .null, "date_updated": .string(now), "direction": "outbound-api", "error_code": .null, "error_message": .null,
            "from": from.map { .string($0) } ?? .null, "messaging_service_sid": service.map { .string($0) } ?? .null,
            "num_media": .string(String(form.values("MediaUrl").count)), "num_segments": .string(String(max(1, (body.count + 159) / 160))),
            "price": .null, "price_unit": "USD", "sid": .string(sid), "status": service == nil ? "queued" : "accepted",
            "subresource_uris": ["media": .string("/2010-04-01/Accounts/\(account)/Messages/\(sid)/Media.json")],
            "to": .string(to), "uri": .string("/2010-04-01/Accounts/\(account)/Messages/\(sid).json"),
        ]
        let json = JSON.object(message)
        let number = sequence.withLock { value -> Int in
            value += 1
            return value
        }
        messages.withLock { $0[sid] = (account, json, number) }
        context.outbox.append(Outbox.Entry(kind: "sms", direction: "outbound", id: sid, at: SandboxTime.isoNow(),
                                           from: from ?? service ?? "", to: [to], subject: nil, body: body, account: account))
        if let callback = form["StatusCallback"], let password = request.basicCredentials?.password {
            reportDelivery(sid: sid, account: account, from: from ?? "", to: to, callback: callback, authToken: password)
        }
        return .json(json, status: .created)
    }

    /// `GET …/Messages.json`: the account's messages, newest first, filtered by `To`, `From` and
    /// `DateSent` (`YYYY-MM-DD`; `DateSent<` on or before, `DateSent>` on or after that day),
    /// paged by `PageSize` (1–1000, 50 by default) and `Page` with Twilio's page envelope.
    private func list(_ request: HTTPRequest) throws -> HTTPResponse {
        let account = try authenticate(request)
        let query = request.queryItems
        let size = try query["PageSize"].map { text -> Int in
            guard let size = Int(text), (1...1000).contains(size) else { throw Self.error(400, 20001, "PageSize must be from 1 to 1000") }
            return size
        } ?? 50
        let page = try query["Page"].map { text -> Int in
            guard let page = Int(text), page >= 0 else { throw Self.error(400, 20001, "Page must be a whole number") }
            return page
        } ?? 0
        var days: [(String, (String, String) -> Bool)] = []
        for (name, test) in [("DateSent", { (day: String, date: String) in day == date }), ("DateSent<", { $0 <= $1 }), ("DateSent>", { $0 >= $1 })] {
            guard let date = query[name] else { continue }
            guard date.utf8.count >= 10, Timestamp.parseISO8601(String(date.prefix(10)) + "T00:00:00Z") != nil else {
                throw Self.error(400, 20001, "\(name) must be a date, YYYY-MM-DD")
            }
            days.append((String(date.prefix(10)), test))
        }
        let matching = messages.withLock { messages in
            messages.values.filter { message in
                guard message.account == account else { return false }
                let json = message.json
                if let to = query["To"], json["to"]?.stringValue != to { return false }
                if let from = query["From"], json["from"]?.stringValue != from { return false }
                // Filtered on the day it was created: the sandbox sends at once.
                let day = (json["date_created"]?.stringValue).flatMap(Self.day) ?? ""
                return days.allSatisfy { $0.1(day, $0.0) }
            }.sorted { $0.sequence > $1.sequence }.map(\.json)
        }
        let start = page * size
        let slice = Array(matching.dropFirst(start).prefix(size))
        let base = "/2010-04-01/Accounts/\(account)/Messages.json"
        let kept = query.filter { $0.key != "Page" && $0.key != "PageToken" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        func uri(_ page: Int) -> JSON {
            .string(base + "?" + String(decoding: FormFields.encode(kept + [("Page", String(page))]), as: UTF8.self))
        }
        return .json([
            "messages": .array(slice), "page": .int(Int64(page)), "page_size": .int(Int64(size)),
            "start": .int(Int64(start)), "end": .int(Int64(max(start, start + slice.count - 1))),
            "first_page_uri": uri(0), "uri": uri(page),
            "next_page_uri": start + slice.count < matching.count ? uri(page + 1) : .null,
            "previous_page_uri": page > 0 ? uri(page - 1) : .null,
        ])
    }

    /// `Mon, 07 Dec 2026 21:00:00 +0000` → `2026-12-07`.
    private static func day(_ rfc2822: String) -> String? {
        let parts = rfc2822.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3])
        else { return nil }
        return String(Timestamp.iso8601(seconds: Timestamp.daysFromCivil(year: year, month: month + 1, day: day) * 86_400).prefix(10))
    }

    /// Posts a `delivered` status callback shortly after, signed with the account's token.
    private func reportDelivery(sid: String, account: String, from: String, to: String, callback: String, authToken: String) {
        Task { [self] in
            try? await Task.sleep(nanoseconds: 20_000_000)
            messages.withLock { messages in messages[sid]?.json["status"] = "delivered" }
            let parameters = [("AccountSid", account), ("ApiVersion", "2010-04-01"), ("From", from), ("MessageSid", sid),
                              ("MessageStatus", "delivered"), ("SmsSid", sid), ("SmsStatus", "delivered"), ("To", to)]
            _ = await context.webhooks.deliver(to: callback, body: Self.encode(parameters), headers: [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("X-Twilio-Signature", WebhookSignatures.twilio(authToken: authToken, url: callback, parameters: parameters)),
            ])
        }
    }

    /// A customer texts the tenant's number: the inbound-message webhook, signed, to the target
    /// registered for that number (or account, or the default).
    func receiveInbound(from: String, to: String, body: String, account: String?) async throws -> JSON {
        guard let target = context.webhooks.target(.twilio, account: account, number: to) else {
            throw SandboxError(status: 409, message: "no twilio webhook target registered for \(to)")
        }
        let sid = SandboxIDs.hex("SM")
        let accountSID = target.account ?? account ?? "AC" + String(repeating: "0", count: 32)
        let parameters = [("ToCountry", "US"), ("SmsMessageSid", sid), ("NumMedia", "0"), ("SmsSid", sid), ("SmsStatus", "received"),
                          ("Body", body), ("To", to), ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", accountSID),
                          ("From", from), ("ApiVersion", "2010-04-01")]
        context.outbox.append(Outbox.Entry(kind: "sms", direction: "inbound", id: sid, at: SandboxTime.isoNow(), from: from, to: [to],
                                           subject: nil, body: body, account: accountSID))
        let delivery = await context.webhooks.deliver(to: target.url, body: Self.encode(parameters), headers: [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Twilio-Signature", WebhookSignatures.twilio(authToken: target.secret, url: target.url, parameters: parameters)),
            ("I-Twilio-Idempotency-Token", SandboxIDs.uuid()),
        ])
        return ["message_sid": .string(sid), "delivery": delivery.json]
    }

    static func encode(_ parameters: [(String, String)]) -> [UInt8] { FormFields.encode(parameters) }

    static func isPhoneNumber(_ text: String) -> Bool {
        text.hasPrefix("+") && (8...16).contains(text.count) && text.dropFirst().allSatisfy(\.isNumber) && !text.hasPrefix("+0")
    }

    /// `{"code","message","more_info","status"}`.
    static func error(_ status: Int, _ code: Int, _ message: String) -> SandboxAnswer {
        SandboxAnswer(.json(["code": .int(Int64(code)), "message": .string(message),
                             "more_info": .string("https://www.twilio.com/docs/errors/\(code)"), "status": .int(Int64(status))],
                            status: HTTPStatus(status)))
    }
}
