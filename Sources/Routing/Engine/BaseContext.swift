import Model

/// The context every execution starts with: who the tenant is, what came in and from whom, and
/// the webhook event's fields (`event.*`, with `booking_id`, `payment_intent` and `amount`
/// filled in from the provider's payload where it has them).
enum BaseContext {
    static func make(_ interaction: Interaction, config: TenantConfig) -> JSONObject {
        var context = JSONObject()
        var tenant: JSONObject = ["id": .string(config.id.rawValue), "name": .string(config.identity.name)]
        tenant["phone"] = config.identity.phone.map { .string($0) } ?? .null
        context["tenant"] = .object(tenant)
        context["interaction"] = [
            "id": .string(interaction.id.rawValue), "channel": .string(interaction.channel.rawValue),
            "text": .string(interaction.text ?? ""), "received_at": .string(Timestamp.iso8601(millis: interaction.receivedAt)),
        ]
        var from = JSONObject()
        from["phone"] = interaction.from.phone.map { .string($0) } ?? .null
        from["email"] = interaction.from.email.map { .string($0) } ?? .null
        from["name"] = interaction.from.name.map { .string($0) } ?? .null
        context["from"] = .object(from)
        // Declared fields the request leaves out may be said in the text ("a labrador" → size
        // large); the trace keeps which words set them.
        var fields = interaction.fields
        let derived = config.fieldsFromText(interaction.text, given: fields)
        fields.merge(derived.fields)
        context["fields"] = .object(fields)
        if !derived.phrases.isEmpty { context.set("interaction.fields_from_text", .object(derived.phrases)) }
        if let event = interaction.event {
            var fields = event.payload.objectValue ?? [:]
            fields["type"] = .string(event.type)
            fields["id"] = .string(event.id)
            fields["source"] = .string(event.source)
            if fields["booking_id"] == nil {
                fields["booking_id"] = fields["uid"] ?? event.payload.value(at: "metadata.booking_id") ?? .null
            }
            if fields["amount"] == nil {
                fields["amount"] = fields["amount_received"] ?? fields["amount_total"] ?? .null
            }
            context["event"] = .object(fields)
        } else {
            context["event"] = .object([:])
        }
        return context
    }
}
