import Integration
import Model
import Native
import Sandbox
import Testing

/// HubSpot adapter against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct HubSpotCRMTests {
    @Test func contact_isCreatedFoundUpdatedAndNoted() async throws {
        let fixture = try SandboxFixture()
        let crm = fixture.hubspot()
        #expect(try await crm.searchContact(.email("ann@example.com"), context: fixture.context()) == nil)
        let created = try await crm.createContact(properties: ["email": "ann@example.com", "firstname": "Ann", "phone": "+14155550101"],
                                                  context: fixture.context())
        #expect(Int(created.id) != nil)
        #expect(created.properties["firstname"] == "Ann")

        let byEmail = try await crm.searchContact(.email("ANN@example.com"), context: fixture.context())
        #expect(byEmail?.id == created.id)
        let byPhone = try await crm.searchContact(.phone("+14155550101"), context: fixture.context())
        #expect(byPhone?.id == created.id)
        #expect(byPhone?.properties["email"] == "ann@example.com")

        let updated = try await crm.updateContact(id: created.id, properties: ["lastname": "Lee"], context: fixture.context())
        #expect(updated.properties["lastname"] == "Lee")
        #expect(updated.properties["firstname"] == "Ann")

        let note = try await crm.addNote(contactID: created.id, body: "Booked drain cleaning Tue 10:00", timestamp: Clock.unixMillis(),
                                         context: fixture.context())
        #expect(!note.id.isEmpty)
        #expect(fixture.sandbox.state.value(at: "hubspot.notes_per_contact")?[created.id]?.intValue == 1)
        try await fixture.stop()
    }

    @Test func mobilePhone_isFoundToo() async throws {
        let fixture = try SandboxFixture()
        let crm = fixture.hubspot()
        let created = try await crm.createContact(properties: ["mobilephone": "+14155550199"], context: fixture.context())
        #expect(try await crm.searchContact(.phone("+14155550199"), context: fixture.context())?.id == created.id)
        try await fixture.stop()
    }

    @Test func search_returnsTheContactsTags() async throws {
        let fixture = try SandboxFixture()
        let crm = fixture.hubspot()
        _ = try await crm.createContact(properties: ["phone": "+14155550102", "switchboard_tags": "member; Senior"], context: fixture.context())
        let found = try await crm.searchContact(.phone("+14155550102"), context: fixture.context())
        #expect(found?.properties["switchboard_tags"] == "member; Senior")
        #expect(found?.tags == ["member", "senior"])
        try await fixture.stop()
    }

    @Test func writingTags_addsThemToTheTagsOthersWrote() async throws {
        let fixture = try SandboxFixture()
        let crm = fixture.hubspot()
        let created = try await crm.createContact(properties: ["email": "cy@example.com", "switchboard_tags": "member;VIP"],
                                                  context: fixture.context())
        let updated = try await crm.updateContact(id: created.id, properties: ["switchboard_tags": "returning;vip"], context: fixture.context())
        #expect(updated.properties["switchboard_tags"] == "member;VIP;returning")
        // Other properties leave the tags alone.
        let other = try await crm.updateContact(id: created.id, properties: ["lastname": "Young"], context: fixture.context())
        #expect(other.tags == ["member", "vip", "returning"])
        // A contact without tags gets the ones written.
        let bare = try await crm.createContact(properties: ["email": "di@example.com"], context: fixture.context())
        #expect(try await crm.updateContact(id: bare.id, properties: ["switchboard_tags": "returning"], context: fixture.context()).tags
                == ["returning"])
        try await fixture.stop()
    }

    @Test func duplicateEmail_isAConflictNamingTheExistingContact() async throws {
        let fixture = try SandboxFixture()
        let crm = fixture.hubspot()
        let first = try await crm.createContact(properties: ["email": "bo@example.com"], context: fixture.context("i-1:customer"))
        let error = await #expect(throws: ProviderError.self) {
            try await crm.createContact(properties: ["email": "bo@example.com"], context: fixture.context("i-2:customer"))
        }
        #expect(error?.kind == .conflict)
        #expect(error?.code == "CONFLICT")
        #expect(error?.resourceID == first.id)
        try await fixture.stop()
    }

    @Test func missingContact_isNotFound() async throws {
        let fixture = try SandboxFixture()
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.hubspot().updateContact(id: "999999", properties: ["lastname": "X"], context: fixture.context())
        }
        #expect(error?.kind == .notFound)
        try await fixture.stop()
    }

    @Test func noteOnAMissingContact_isPermanent() async throws {
        let fixture = try SandboxFixture()
        let error = await #expect(throws: ProviderError.self) {
            try await fixture.hubspot().addNote(contactID: "424242", body: "x", timestamp: Clock.unixMillis(), context: fixture.context())
        }
        #expect(error?.kind == .permanent)
        #expect(error?.code == "VALIDATION_ERROR")
        try await fixture.stop()
    }
}
