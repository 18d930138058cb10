import Model

/// `SchedulingProvider` over Cal.com API v2: `GET /v2/slots` (`cal-api-version: 2024-09-04`),
/// `POST /v2/bookings`, `/v2/bookings/{uid}/cancel` and `/reschedule` (`cal-api-version: 2024-08-13`),
/// JSON in the `{"status":"success","data":…}` envelope, Bearer API key.
///
/// Bookings carry the call's idempotency key in their metadata (`switchboard_key`), so an effect
/// left in doubt can be looked up.
public struct CalComScheduling: SchedulingProvider {
    public struct Configuration: Sendable {
        /// `https://api.cal.com`, or the sandbox's `<base>/calcom`.
        public var baseURL: String
        /// `cal_live_…` or `cal_test_…`.
        public var apiKey: String
        public var name: String
        public var policy: ResiliencePolicy
        public var caFile: String?

        public init(baseURL: String, apiKey: String, name: String = "calcom", policy: ResiliencePolicy = .calcom, caFile: String? = nil) {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.name = name
            self.policy = policy
            self.caFile = caFile
        }
    }

    public static let slotsVersion = "2024-09-04"
    public static let bookingsVersion = "2024-08-13"
    public static let metadataKey = "switchboard_key"

    public let configuration: Configuration
    let runtime: IntegrationRuntime

    public init(configuration: Configuration, runtime: IntegrationRuntime) {
        self.configuration = configuration
        self.runtime = runtime
    }

    public func availableSlots(_ query: SlotQuery, context: CallContext) async throws -> [Slot] {
        var items = [("eventTypeId", String(query.eventTypeID)), ("start", query.start), ("end", query.end), ("slotFormat", "range")]
        if let zone = query.timeZone { items.append(("timeZone", zone)) }
        let queryString = items.map { "\($0.0)=\(FormBody.percentEncode($0.1))" }.joined(separator: "&")
        var request = makeRequest("GET", "/v2/slots?" + queryString, version: Self.slotsVersion)
        request.setHeader("Accept", "application/json")
        return try await perform(request, operation: "availableSlots", safety: .idempotent, key: nil, context: context) { data in
            guard let days = data.objectValue else { return nil }
            var slots: [Slot] = []
            for day in days.keys.sorted() {
                for item in days[day]?.arrayValue ?? [] {
                    // Default format lists start strings (or {start}); range format adds `end`.
                    if let start = item.stringValue ?? item["start"]?.stringValue {
                        slots.append(Slot(start: start, end: item["end"]?.stringValue))
                    }
                }
            }
            return slots
        }
    }

    public func createBooking(_ booking: BookingRequest, context: CallContext) async throws -> Booking {
        let key = context.idempotencyKey(for: "calcom.createBooking")
        var request = makeRequest("POST", "/v2/bookings", version: Self.bookingsVersion)
        request.setJSON(.object(Self.body(booking, key: key)))
        return try await perform(request, operation: "createBooking", safety: .unsafe, key: key, context: context, decode: Self.booking)
    }

    /// `CreateBookingInput_2024_08_13`, with the call's key in `metadata.switchboard_key`.
    static func body(_ booking: BookingRequest, key: String) -> JSONObject {
        var attendee: JSONObject = ["name": .string(booking.attendee.name), "timeZone": .string(booking.attendee.timeZone)]
        if let email = booking.attendee.email { attendee["email"] = .string(email) }
        if let phone = booking.attendee.phoneNumber { attendee["phoneNumber"] = .string(phone) }
        var metadata = booking.metadata
        metadata[Self.metadataKey] = key
        var body: JSONObject = ["start": .string(booking.start), "eventTypeId": .int(booking.eventTypeID),
                                "attendee": .object(attendee), "metadata": ProviderAnswer.object(metadata)]
        if let length = booking.lengthInMinutes { body["lengthInMinutes"] = .int(Int64(length)) }
        return body
    }

    public func cancelBooking(uid: String, reason: String, context: CallContext) async throws -> Booking {
        var request = makeRequest("POST", "/v2/bookings/\(FormBody.percentEncode(uid))/cancel", version: Self.bookingsVersion)
        request.setJSON(["cancellationReason": .string(reason)])
        // Cancelling twice leaves the booking cancelled: safe to repeat.
        return try await perform(request, operation: "cancelBooking", safety: .idempotent, key: nil, context: context, decode: Self.booking)
    }

    public func rescheduleBooking(uid: String, start: String, reason: String?, context: CallContext) async throws -> Booking {
        var body: JSONObject = ["start": .string(start)]
        if let reason { body["reschedulingReason"] = .string(reason) }
        var request = makeRequest("POST", "/v2/bookings/\(FormBody.percentEncode(uid))/reschedule", version: Self.bookingsVersion)
        request.setJSON(.object(body))
        return try await perform(request, operation: "rescheduleBooking", safety: .unsafe,
                                 key: context.idempotencyKey(for: "calcom.rescheduleBooking"), context: context, decode: Self.booking)
    }

    /// `GET /v2/bookings?eventTypeId=…&afterCreatedAt=…` (newest first, up to 5 pages of 100),
    /// keeping those whose `metadata.switchboard_key` is the key the call would have sent.
    public func bookings(madeBy operation: BookingOperation, eventTypeID: Int64, createdAfter: String,
                         context: CallContext) async throws -> [Booking] {
        let key = context.idempotencyKey(for: "calcom.\(operation.rawValue)")
        var found: [Booking] = []
        for page in 0..<5 {
            let query = [("eventTypeId", String(eventTypeID)), ("afterCreatedAt", createdAfter), ("sortCreated", "desc"),
                         ("take", "100"), ("skip", String(page * 100))]
            var request = makeRequest("GET", "/v2/bookings?" + query.map { "\($0.0)=\(FormBody.percentEncode($0.1))" }.joined(separator: "&"),
                                      version: Self.bookingsVersion)
            request.setHeader("Accept", "application/json")
            let listed: [JSON] = try await perform(request, operation: "findBookings", safety: .idempotent, key: nil, context: context) {
                $0.arrayValue
            }
            found += listed.filter { $0["metadata"]?[Self.metadataKey]?.stringValue == key }.compactMap(Self.booking)
            if listed.count < 100 { break }
        }
        return found.sorted { $0.start < $1.start }
    }

    func makeRequest(_ method: String, _ path: String, version: String) -> HTTPClient.Request {
        var request = HTTPClient.Request(method: method, url: ProviderAnswer.join(configuration.baseURL, path), caFile: configuration.caFile)
        request.authorize(.bearer(configuration.apiKey))
        // > cal-api-version ... required: 2024-09-04 for /v2/slots, 2024-08-13 for /v2/bookings.
        request.setHeader("cal-api-version", version)
        return request
    }

    func perform<Value: Sendable>(_ request: HTTPClient.Request, operation name: String, safety: RetrySafety, key: String?,
                                          context: CallContext, decode: @escaping @Sendable (JSON) -> Value?) async throws -> Value {
        let operation = ProviderOperation(provider: "calcom", integration: configuration.name, name: name, safety: safety,
                                          policy: configuration.policy, secrets: [configuration.apiKey], idempotencyKey: key)
        return try await runtime.perform(operation, request, context: context) { response in
            guard response.isSuccess else { return .failure(Self.error(response, operation: name)) }
            guard let json = response.json, json["status"]?.stringValue == "success", let data = json["data"],
                  let value = decode(data) else {
                return .failure(ProviderAnswer.malformed(response, provider: "calcom", operation: name, expected: "success envelope"))
            }
            return .success(value)
        }
    }

    static func booking(_ data: JSON) -> Booking? {
        guard let uid = data["uid"]?.stringValue else { return nil }
        return Booking(uid: uid, id: data["id"]?.intValue, status: data["status"]?.stringValue ?? "accepted",
                       start: data["start"]?.stringValue ?? "", end: data["end"]?.stringValue,
                       recurringBookingUid: data["recurringBookingUid"]?.stringValue)
    }

    /// `{"status":"error","timestamp","path","error":{"code","message","details"}}`. A slot that
    /// was taken meanwhile is a 400 whose message says the host is booked or unavailable.
    static func error(_ response: HTTPClient.Response, operation: String) -> ProviderError {
        let detail = response.json?["error"]
        let code = detail?["code"]?.stringValue
        let message = detail?["message"]?.stringValue ?? response.json?["message"]?.stringValue
        let lowered = message?.lowercased() ?? ""
        let isSlotTaken = response.status == 409 || (response.status == 400 && (lowered.contains("already has booking")
            || lowered.contains("not available") || lowered.contains("no_available_users_found")))
        let retryAfter = ProviderAnswer.retryAfterSeconds(response.header("Retry-After"))
            ?? ProviderAnswer.retryAfterSeconds(response.header("X-RateLimit-Reset-default"))
        return ProviderAnswer.error(response, provider: "calcom", operation: operation, code: code, message: message,
                                    kind: isSlotTaken ? .conflict : nil, retryAfter: retryAfter)
    }
}
