import HTTP
import Model

/// Simulated Slack incoming webhooks under `/slack/services/{team}/{bot}/{token}`: JSON with
/// `text` (or `blocks`), answered `200 ok`, or the documented text error codes. A token that
/// contains `revoked` answers `404 no_service`.
final class SlackSimulator: Sendable {
    private let context: SandboxContext

    init(context: SandboxContext) {
        self.context = context
    }

    func register(on routes: RouterBuilder) {
        routes.add(.post, "/slack/services/{team}/{bot}/{token}", context.faults.guarded(.slack) { [self] request in
            guard !(request.parameters["token"] ?? "").contains("revoked") else {
                return .text("no_service", status: .notFound, contentType: "text/html")
            }
            guard let json = request.json, json.objectValue != nil else {
                return .text("invalid_payload", status: .badRequest, contentType: "text/html")
            }
            let text = json["text"]?.stringValue ?? ""
            guard !text.isEmpty || json["blocks"] != nil || json["attachments"] != nil else {
                return .text("no_text", status: .badRequest, contentType: "text/html")
            }
            context.outbox.append(Outbox.Entry(kind: "slack", direction: "outbound", id: SandboxIDs.alphanumeric("slack_", length: 12),
                                               at: SandboxTime.isoNow(), from: "webhook",
                                               to: ["\(request.parameters["team"] ?? "")/\(request.parameters["bot"] ?? "")"],
                                               subject: nil, body: Self.unescape(text), account: nil))
            return .text("ok", contentType: "text/html")
        })
    }

    static func unescape(_ text: String) -> String {
        text.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&amp;", with: "&")
    }
}
