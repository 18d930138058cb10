import Integration
import Model
import Testing

struct FormBodyTests {
    @Test func nesting_followsStripesBracketNotation() {
        var form = FormBody()
        form.append("amount", 5000)
        form.append("metadata", map: ["b": "2", "a": "1"])
        form.append("line_items", json: [["price_data": ["currency": "usd", "unit_amount": 100]], ["price": "price_1"]])
        #expect(form.fields.map { "\($0.name)=\($0.value)" } == [
            "amount=5000", "metadata[a]=1", "metadata[b]=2", "line_items[0][price_data][currency]=usd",
            "line_items[0][price_data][unit_amount]=100", "line_items[1][price]=price_1",
        ])
    }

    @Test func encoding_isTheFormSerializer() {
        var form = FormBody()
        form.append("metadata[note]", "a b&c=d/é+*~")
        #expect(form.encodedString == "metadata%5Bnote%5D=a+b%26c%3Dd%2F%C3%A9%2B*%7E")
        #expect(FormBody.percentEncode("a b/é~") == "a%20b%2F%C3%A9~")
    }

    @Test func authorization_headers() {
        #expect(HTTPClient.Authorization.bearer("tok").headerValue == "Bearer tok")
        #expect(HTTPClient.Authorization.basic(user: "AC1", password: "pw").headerValue == "Basic QUMxOnB3")
        #expect(HTTPClient.Authorization.none.headerValue == nil)
    }

    @Test func idempotencyKeys_arePerOperationAndBounded() {
        let context = CallContext(tenant: "acme", idempotencyKey: "int-1:step-3")
        #expect(context.idempotencyKey(for: "stripe.createRefund") == "int-1:step-3:stripe.createRefund")
        #expect(context.forSubstep("2").idempotencyKey(for: "x") == "int-1:step-3/2:x")
        let long = CallContext(tenant: "acme", idempotencyKey: String(repeating: "k", count: 300)).idempotencyKey(for: "op")
        #expect(long.hasPrefix("sha256-"))
        #expect(long.count == 71)
    }
}
