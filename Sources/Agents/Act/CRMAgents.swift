import Integration
import Model

/// `customer.find_or_create`: the customer in the CRM, by phone then email; created when new.
/// A create interrupted by a crash is reconciled by searching again rather than repeated.
public struct CustomerAgent: Agent {
    public let name = "customer.find_or_create"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        var result = await find(input)
        // What they booked before, from the journal: customer.visits and customer.last_visit.
        guard result.outcome == .ok, let key = input.interaction.from.customerKey else { return result }
        let visits = await input.ledger.visits(customer: key)
        var customer = result.delta["customer"]?.objectValue ?? [:]
        customer["visits"] = .int(Int64(visits.count))
        customer["last_visit"] = visits.lastStart.map { start in
            let local = input.config.identity.timeZone.localTime(atUnixSeconds: start)
            return .string(LocalDate(year: local.year, month: local.month, day: local.day).description)
        } ?? .null
        result.delta["customer"] = .object(customer)
        result.decision.reasons.append("\(visits.count) earlier booking\(visits.count == 1 ? "" : "s")")
        return result
    }

    private func find(_ input: StepInput) async -> StepResult {
        guard let crm = input.providers.crm else { return .outcome(.error, "no CRM integration", reasons: []) }
        let from = input.interaction.from
        let phone = from.phone ?? input.string("customer.phone")
        let email = from.email ?? input.string("customer.email")
        // The name the request gave, else one the customer gave in their words ("this is Dana").
        let given = from.name ?? NameInText.find(input.interaction.text)
        let context = input.callContext
        do {
            if let found = try await search(crm, phone: phone, email: email, context: context) {
                return .ok("found customer \(found.id)", reasons: ["matched by \(phone != nil ? "phone" : "email")"],
                           delta: Self.delta(id: found.id, properties: found.properties, isNew: false, fallback: from, given: given))
            }
            var properties: [String: String] = [:]
            if let phone { properties["phone"] = phone }
            if let email { properties["email"] = email }
            if let name = given {
                let parts = name.split(separator: " ", maxSplits: 1)
                properties["firstname"] = String(parts[0])
                if parts.count > 1 { properties["lastname"] = String(parts[1]) }
            }
            guard !properties.isEmpty else { return .outcome(.error, "no way to identify the customer", reasons: ["no phone or email"]) }
            let newProperties = properties
            // An interrupted create is looked for by the phone or email it wrote.
            let lookup = EffectLookup<String> { _ in
                try await search(crm, phone: phone, email: email, context: context.forSubstep("reconcile"))?.id
            }
            let created = try await input.effects.perform(
                "contact", provider: "hubspot", operation: "createContact", lookup: lookup,
                encode: { JSON.string($0) }, decode: { $0.stringValue },
                call: {
                    do {
                        return try await crm.createContact(properties: newProperties, context: context).id
                    } catch let error as ProviderError where error.kind == .conflict && error.resourceID != nil {
                        return error.resourceID!  // someone created it meanwhile: use that contact
                    }
                })
            switch created {
            case .performed(let id), .replayed(let id):
                return .ok("created customer \(id)", delta: Self.delta(id: id, properties: properties, isNew: true, fallback: from, given: given))
            case .reconciled(let id):
                return .ok("found customer \(id) after an interrupted create",
                           delta: Self.delta(id: id, properties: properties, isNew: true, fallback: from, given: given))
            case .inDoubt:
                return StepResult(outcome: .error, decision: Decision("customer creation in doubt", reasons: [
                    "a create was interrupted and the CRM could not be searched for it; not repeated"], errorKind: "in_doubt"))
            }
        } catch {
            return .failure("CRM lookup failed", error: error)
        }
    }

    private func search(_ crm: any CRMProvider, phone: String?, email: String?, context: CallContext) async throws -> Contact? {
        if let phone, let found = try await crm.searchContact(.phone(phone), context: context) { return found }
        if let email, let found = try await crm.searchContact(.email(email), context: context.forSubstep("email")) { return found }
        return nil
    }

    /// The customer as the CRM has them; the name falls back to `given` (the request's, or one
    /// said in the text) when the contact has none. `label` is how operator messages name them:
    /// "Dana Reyes (+15125550100)", or the phone (else the email) alone when no name is known.
    static func delta(id: String, properties p: [String: String], isNew: Bool, fallback: Interaction.Party,
                      given: String?) -> JSONObject {
        let crmName = [p["firstname"], p["lastname"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let name = crmName.isEmpty ? given.flatMap { $0.isEmpty ? nil : $0 } : crmName
        let phone = p["phone"] ?? p["mobilephone"] ?? fallback.phone
        let email = p["email"] ?? fallback.email
        let reach = phone ?? email
        let label = name.map { name in reach.map { "\(name) (\($0))" } ?? name } ?? reach ?? "a customer"
        let tags = Contact(id: id, properties: p).tags.map { JSON.string($0) }
        return ["customer": [
            "id": .string(id),
            "name": name.map { .string($0) } ?? .null,
            "label": .string(label),
            "phone": phone.map { .string($0) } ?? .null,
            "email": email.map { .string($0) } ?? .null,
            "tags": .array(tags), "is_new": .bool(isNew),
        ]]
    }
}

/// `crm.note`: writes the step's template as a note on the customer's CRM record.
public struct CRMNoteAgent: Agent {
    public let name = "crm.note"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let crm = input.providers.crm else { return .outcome(.error, "no CRM integration", reasons: []) }
        guard let contact = input.string("customer.id") else {
            return .outcome(.error, "no CRM contact to write on", reasons: ["customer.find_or_create did not run or failed"])
        }
        guard let template = input.parameters["template"]?.text, let rendered = input.render(template: template) else {
            return .outcome(.error, "no template for the note", reasons: [])
        }
        let context = input.callContext
        let now = input.now
        do {
            let note = try await input.effects.perform(
                "note", provider: "hubspot", operation: "addNote", encode: { JSON.string($0) }, decode: { $0.stringValue },
                call: { try await crm.addNote(contactID: contact, body: rendered.text, timestamp: now, context: context).id })
            return .ok(note.value == nil ? "CRM note in doubt (not repeated)" : "noted on contact \(contact)",
                       delta: ["crm": ["note_id": note.value.map { .string($0) } ?? .null]])
        } catch {
            return .failure("could not write the CRM note", error: error)
        }
    }
}

/// `crm.update`: sets contact properties from templates; tags (`switchboard_tags`) are added to
/// the contact's. Setting a property to the same value, or adding a tag, twice changes nothing,
/// so no journal is needed.
public struct CRMUpdateAgent: Agent {
    public let name = "crm.update"
    public let hasEffects = true

    public init() {}

    public func run(_ input: StepInput) async -> StepResult {
        guard let crm = input.providers.crm else { return .outcome(.error, "no CRM integration", reasons: []) }
        guard let contact = input.string("customer.id") else {
            return .outcome(.error, "no CRM contact to update", reasons: ["customer.find_or_create did not run or failed"])
        }
        let environment = input.config.templateEnvironment
        let properties = (input.parameters["properties"]?.templates ?? [:]).mapValues { $0.render(.object(input.context), in: environment) }
        do {
            _ = try await crm.updateContact(id: contact, properties: properties, context: input.callContext)
            return .ok("updated \(properties.keys.sorted().joined(separator: ", ")) on contact \(contact)")
        } catch {
            return .failure("could not update the CRM contact", error: error)
        }
    }
}
