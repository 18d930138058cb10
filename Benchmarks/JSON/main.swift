// Compares the project's JSON parser and serialiser with Foundation's JSONSerialization on the
// bodies Switchboard handles: the 1 KiB benchmark body and a Stripe event. Run by scripts/bench-json.
import Foundation
import Model

let bodies: [(String, [UInt8])] = [
    ("1 KiB echo body", Array(("{\"data\":\"" + String(repeating: "x", count: 1013) + "\"}").utf8)),
    ("Stripe event (2.3 KiB)", Array("""
        {"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","api_version":"2020-08-27","created":1686089970,
        "data":{"object":{"id":"pi_3NG8Dt2eZvKYlo2C0yPUd5mq","object":"payment_intent","amount":4500,"amount_capturable":0,
        "amount_received":4500,"application":null,"capture_method":"automatic","client_secret":"pi_3NG8_secret_x",
        "confirmation_method":"automatic","created":1686089969,"currency":"usd","customer":null,"description":"Deposit",
        "last_payment_error":null,"latest_charge":"ch_3NG8Dt2eZvKYlo2C0F1bW5Hf","livemode":false,
        "metadata":{"booking_id":"bk_123","interaction_id":"int_01JD0000000000000000000000","tenant":"acme-plumbing"},
        "payment_method":"pm_1NG8Dt2eZvKYlo2C","payment_method_types":["card"],"status":"succeeded",
        "shipping":null,"statement_descriptor":null,"transfer_data":null,"transfer_group":null,
        "charges":{"object":"list","data":[{"id":"ch_1","amount":4500,"paid":true,"refunded":false,
        "billing_details":{"address":{"city":"San Francisco","country":"US","line1":"1 Main St","postal_code":"94110"},
        "email":"casey@example.com","name":"Casey Jones","phone":"+14155550100"}}],"has_more":false,"total_count":1}}},
        "livemode":false,"pending_webhooks":1,"request":{"id":"req_abc","idempotency_key":"key_1"},"type":"payment_intent.succeeded"}
        """.utf8)),
]

func measure(_ label: String, iterations: Int, _ body: () -> Void) -> Double {
    for _ in 0..<1000 { body() }  // warm up
    var samples: [Double] = []
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations))
    }
    samples.sort()
    return samples[2]
}

print("| body | operation | Switchboard JSON (ns) | Foundation JSONSerialization (ns) | Foundation time / ours |")
print("|---|---|---|---|---|")
for (name, bytes) in bodies {
    let data = Data(bytes)
    let ours = measure("parse", iterations: 20_000) { _ = try! JSONParser.parse(bytes) }
    let theirs = measure("parse", iterations: 20_000) { _ = try! JSONSerialization.jsonObject(with: data) }
    print("| \(name) | parse | \(Int(ours)) | \(Int(theirs)) | \(String(format: "%.2f", theirs / ours)) |")
    let value = try! JSONParser.parse(bytes)
    let object = try! JSONSerialization.jsonObject(with: data)
    let ourWrite = measure("serialise", iterations: 20_000) { _ = value.serializedBytes() }
    let theirWrite = measure("serialise", iterations: 20_000) { _ = try! JSONSerialization.data(withJSONObject: object) }
    print("| \(name) | serialise | \(Int(ourWrite)) | \(Int(theirWrite)) | \(String(format: "%.2f", theirWrite / ourWrite)) |")
}
