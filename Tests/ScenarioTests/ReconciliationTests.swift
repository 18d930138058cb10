import Integration
import Model
import Native
import Sandbox
import Testing
@testable import App

/// Effects whose answer was lost are looked up at the provider instead of given up on, over real
/// HTTP against the sandbox (which carries the request out and then loses its answer).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReconciliationTests {
    static func effects(_ trace: JSON, state: String) -> [JSON] {
        trace["steps"]?.arrayValue?.filter { $0["state"]?.stringValue == state }.flatMap { $0["effects"]?.arrayValue ?? [] } ?? []
    }

    /// Before: the flow took its error path ("could not book"), so the customer was told it went
    /// wrong while the booking stood in the calendar.
    @Test func lostBookingAnswer_isFoundInTheCalendar_andTheCustomerIsBooked() async throws {
        let harness = try Harness()
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/calcom/v2/bookings", errorRate: 1, errorStatus: 502, times: 1,
                                           loseAnswer: true))
        let phone = "+15125550193"
        let trace = try await AcmePlumbingTests.book(harness, phone: phone)
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null)")
        #expect(AcmePlumbingTests.states(trace).contains("confirm") && !AcmePlumbingTests.states(trace).contains("booking_problem"))
        let book = Self.effects(trace, state: "book")
        #expect(book.first?["result"] == "reconciled", "\(book)")
        #expect(book.first?["lookup"]?.stringValue?.contains("found at the provider") == true, "\(book)")
        let calendar = harness.sandbox.state
        #expect(calendar.value(at: "calcom.bookings")?.intValue == 1 && calendar.value(at: "calcom.accepted")?.intValue == 1,
                "\(calendar.serialized())")
        let uid = try #require(trace.value(at: "context.booking.id")?.stringValue)
        #expect(harness.sandbox.requestCounts["GET /calcom/v2/bookings"] == 1, "\(harness.sandbox.requestCounts)")
        #expect(JSON.texts(harness.outbox(to: phone)).contains { $0.contains("You're booked!") }, "\(uid)")
    }

    /// When the calendar answers the lookup with nothing, the booking is not assumed made: the
    /// flow's error path runs, and nothing stands in the calendar.
    @Test func lostAnswerOfARefusedBooking_isNotFound_andTheErrorPathRuns() async throws {
        let harness = try Harness()
        // The booking request fails before anything is made (503), then the lookup finds nothing.
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/calcom/v2/bookings", errorRate: 1, errorStatus: 503))
        let trace = try await AcmePlumbingTests.book(harness, phone: "+15125550194")
        #expect(trace["status"] == "failed")
        let book = Self.effects(trace, state: "book")
        #expect(book.last?["result"] == "failed" && book.last?["lookup"]?.stringValue?.contains("not found") == true, "\(book)")
        #expect(harness.sandbox.state.value(at: "calcom.bookings")?.intValue == 0)
    }

    /// Before: the confirmation was "in doubt (not repeated)" and the interaction ended without
    /// the customer counted as told, although Twilio had the text.
    @Test func lostAnswerOfTheConfirmationText_isFoundInTwiliosList_andNotSentTwice() async throws {
        let harness = try Harness()
        harness.sandbox.addFault(FaultRule(method: "POST", pathPrefix: "/twilio/2010-04-01/Accounts/", errorRate: 1, errorStatus: 502,
                                           times: 1, loseAnswer: true))
        let phone = "+15125550195"
        let trace = try await AcmePlumbingTests.book(harness, phone: phone)
        #expect(trace["status"] == "completed", "\(trace["reason"] ?? .null)")
        let confirm = Self.effects(trace, state: "confirm")
        #expect(confirm.first?["result"] == "reconciled", "\(confirm)")
        let texts = JSON.texts(harness.outbox(to: phone))
        #expect(texts.filter { $0.contains("You're booked!") }.count == 1, "\(texts)")
        #expect(harness.sandbox.requestCounts["GET /twilio/2010-04-01/Accounts/{AccountSid}/Messages.json"] == 1,
                "\(harness.sandbox.requestCounts)")
        #expect(trace["flags"]?.arrayValue?.isEmpty != false, "\(trace["flags"] ?? .null)")
    }
}
