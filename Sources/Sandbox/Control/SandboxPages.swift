import Model

/// Minimal HTML for demos: Stripe Checkout's pay page and the customer's phone (the outbox).
enum CheckoutPage {
    static func render(_ session: JSON) -> String {
        let id = escape(session["id"]?.stringValue ?? "")
        let amount = session["amount_total"]?.intValue ?? 0
        let currency = (session["currency"]?.stringValue ?? "usd").uppercased()
        let status = escape(session["payment_status"]?.stringValue ?? "")
        let major = "\(amount / 100).\(amount % 100 < 10 ? "0" : "")\(amount % 100)"
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>Sandbox checkout</title></head>
            <body style="font-family:sans-serif;max-width:28em;margin:3em auto">
            <h1>Pay \(major) \(escape(currency))</h1><p>Checkout session <code>\(id)</code> — \(status)</p>
            <form method="post" action="/sandbox/checkout/\(id)/pay"><button type="submit">Pay with test card 4242</button></form>
            </body></html>
            """
    }

    static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
    }
}

enum OutboxPage {
    static func render(_ entries: [Outbox.Entry]) -> String {
        var rows = ""
        for entry in entries {
            let subject = entry.subject.map { "<b>\(CheckoutPage.escape($0))</b><br>" } ?? ""
            rows += "<li><small>\(entry.at) · \(entry.kind) \(entry.direction) · \(CheckoutPage.escape(entry.from)) → "
                + "\(CheckoutPage.escape(entry.to.joined(separator: ", ")))</small><br>\(subject)"
                + "<pre style=\"white-space:pre-wrap\">\(CheckoutPage.escape(entry.body))</pre></li>"
        }
        return """
            <!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Sandbox outbox</title></head>
            <body style="font-family:sans-serif;max-width:40em;margin:2em auto"><h1>Sent by the sandbox</h1><ul>\(rows)</ul></body></html>
            """
    }
}
