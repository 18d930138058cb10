import Model
import Testing
@testable import Routing

/// `channels.operator` and the `channel` parameter of `notify.operator` and `approval.request`:
/// the operator may be reached by Slack, email or SMS, and a channel without its integration or
/// address is reported where it is named.
struct OperatorChannelsConfigTests {
    static let slack = """
          operator:
            provider: slack
            base_url: https://hooks.example.com
            credentials:
              webhook_path: ${SLACK_PATH:-/services/x}

        """
    static let smtp = """
          email:
            provider: smtp
            base_url: smtp://mail.example.com:587

        """

    /// The fixture tenant with `channels` added under `channels:`, its Slack integration replaced
    /// by `integrations`, and `params` for the operator step.
    static func tenant(channels: String = "", integrations: String = OperatorChannelsConfigTests.slack,
                       params: String = "{ template: ops }") -> String {
        let base = TestFiles.validFixture
        let start = base.range(of: "  operator:\n    provider: slack")!.lowerBound
        let end = base.range(of: "services:\n")!.lowerBound
        return (String(base[..<start]) + integrations + String(base[end...]))
            .replacingFirst("  webhooks:\n", with: channels + "  webhooks:\n")
            .replacingFirst("        params: { template: ops }", with: "        params: \(params)")
    }

    /// `line:col` of the first `marker` after the first `after` in `text`, to expect a problem there.
    static func position(of marker: String, after: String = "", in text: String) -> String {
        var from = 0
        if !after.isEmpty, let found = text.range(of: after) { from = text.distance(from: text.startIndex, to: found.upperBound) }
        let rest = String(text.dropFirst(from))
        let offset = from + rest.distance(from: rest.startIndex, to: rest.range(of: marker)!.lowerBound)
        let lines = text.prefix(offset).split(separator: "\n", omittingEmptySubsequences: false)
        return "\(lines.count):\(lines.last!.count + 1)"
    }

    @Test func emailOperator_withoutSlack_loads() throws {
        let channels = """
              email:
                from: "Fixture Plumbing <hello@fixture.example>"
              operator:
                email: dispatch@fixture.example

            """
        let config = try TestFiles.load(Self.tenant(channels: channels, integrations: Self.smtp)).get().config
        #expect(config.integrations[.operator] == nil)
        #expect(config.channels.operatorChannels == OperatorChannels(email: "dispatch@fixture.example"))
        #expect(config.operatorChannels == [.email])
    }

    @Test func order_andStepChannels_decodeInOrder() throws {
        let channels = """
              email:
                from: hello@fixture.example
              operator:
                email: "Dispatch <dispatch@fixture.example>"
                sms: "+15125550199"
                order: [sms, slack, email]

            """
        let text = Self.tenant(channels: channels, integrations: Self.slack + Self.smtp, params: "{ template: ops, channel: [email, sms] }")
        let config = try TestFiles.load(text).get().config
        #expect(config.operatorChannels == [.sms, .slack, .email])
        let step = config.flows["main"]?.states["tell_ops"]?.step
        #expect(step?.parameters["channel"] == .choices(["email", "sms"]))
        let single = try TestFiles.load(Self.tenant(channels: channels, integrations: Self.slack + Self.smtp,
                                                    params: "{ template: ops, channel: sms }")).get().config
        #expect(single.flows["main"]?.states["tell_ops"]?.step?.parameters["channel"]?.choices == ["sms"])
    }

    @Test func defaultOrder_isSlackThenEmailThenSMS() throws {
        let channels = """
              email:
                from: hello@fixture.example
              operator:
                sms: "+15125550199"
                email: dispatch@fixture.example

            """
        let config = try TestFiles.load(Self.tenant(channels: channels, integrations: Self.slack + Self.smtp)).get().config
        #expect(config.operatorChannels == [.slack, .email, .sms])
        // The example tenants, with Slack only, keep Slack.
        let plain = try TestFiles.load(Self.tenant()).get().config
        #expect(plain.operatorChannels == [.slack])
    }

    @Test func noWayToReachTheOperator_isReportedAtTheStep() {
        let text = Self.tenant(integrations: "")
        let at = Self.position(of: "notify.operator", after: "tell_ops:", in: text)
        #expect(TestFiles.problems(text) == [
            "\(at): flows.main.states.tell_ops.agent: notify.operator has no way to reach the operator: add integrations.operator "
                + "(provider slack), or channels.operator with the operator's email or sms (and integrations.email or integrations.messaging)",
        ])
    }

    @Test func orderedChannel_withoutItsIntegrationOrAddress_isReportedAtItsPlaceInTheOrder() {
        let channels = """
              operator:
                order: [slack, email, sms]

            """
        let text = Self.tenant(channels: channels)
        let email = Self.position(of: "email", after: "order: [slack, ", in: text)
        let sms = Self.position(of: "sms]", after: "order: [", in: text)
        #expect(TestFiles.problems(text) == [
            "\(email): channels.operator.order[1]: the operator's email channel needs channels.operator.email (the operator's address), "
                + "integrations.email (provider smtp) and channels.email.from (the sender): add them, or take email out of channels.operator.order",
            "\(sms): channels.operator.order[2]: the operator's sms channel needs channels.operator.sms (the operator's mobile number): "
                + "add it, or take sms out of channels.operator.order",
        ])
    }

    @Test func addressWithoutItsIntegration_isReportedAtTheAddress() {
        let channels = """
              operator:
                email: dispatch@fixture.example

            """
        let text = Self.tenant(channels: channels)
        let at = Self.position(of: "dispatch@", in: text)
        #expect(TestFiles.problems(text) == [
            "\(at): channels.operator.email: the operator is reached by email once slack fails (no channels.operator.order), which needs "
                + "integrations.email (provider smtp) and channels.email.from (the sender): add them, or give channels.operator.order",
        ])
    }

    @Test func stepChannel_withoutItsIntegration_isReportedAtTheParameter() {
        let text = Self.tenant(params: "{ template: ops, channel: [slack, email] }")
        let at = Self.position(of: "email]", after: "channel: [", in: text)
        #expect(TestFiles.problems(text) == [
            "\(at): flows.main.states.tell_ops.params.channel[1]: notify.operator tries the operator by email, which needs "
                + "channels.operator.email (the operator's address), integrations.email (provider smtp) and channels.email.from (the sender): "
                + "add them, or choose another channel",
        ])
        let single = Self.tenant(params: "{ template: ops, channel: sms }")
        #expect(TestFiles.problems(single) == [
            "\(Self.position(of: "sms }", in: single)): flows.main.states.tell_ops.params.channel: notify.operator tries the operator by sms, "
                + "which needs channels.operator.sms (the operator's mobile number): add it, or choose another channel",
        ])
    }

    @Test func badValues_areReportedWhereTheyAreWritten() {
        let channels = """
              operator:
                email: not-an-address
                sms: "5550199"
                order: [slack, fax, slack]
                phone: "+15125550199"

            """
        let text = Self.tenant(channels: channels)
        #expect(TestFiles.problems(text) == [
            "\(Self.position(of: "not-an", in: text)): channels.operator.email: expected an email address like hello@example.com or "
                + "\"Name <hello@example.com>\", got \"not-an-address\"",
            "\(Self.position(of: "\"5550199", in: text)): channels.operator.sms: expected a phone number in E.164 form like +15125550100, got \"5550199\"",
            "\(Self.position(of: "fax", in: text)): channels.operator.order[1]: unknown operator channel \"fax\"; expected one of: slack, email, sms",
            "\(Self.position(of: "slack]", in: text)): channels.operator.order[2]: operator channel \"slack\" is listed twice; each is tried once, so list it once",
            "\(Self.position(of: "phone:", in: text)): channels.operator.phone: unknown key; allowed here: email, sms, order",
        ])
        let empty = Self.tenant(channels: "  operator:\n    order: []\n")
        #expect(TestFiles.problems(empty) == [
            "\(Self.position(of: "[]", in: empty)): channels.operator.order: expected at least one operator channel: slack, email, sms",
        ])
    }
}
