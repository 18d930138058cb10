import HTTP

/// The pages a customer's browser lands on after a deposit checkout: a plain thank-you (or
/// "not paid"), with no tenant data in them.
enum CheckoutPages {
    static func register(on routes: RouterBuilder) {
        routes.add(.get, "/v1/tenants/{tenant}/checkout/{id}/paid", .immediate { _ in paid })
        routes.add(.get, "/v1/tenants/{tenant}/checkout/{id}/cancelled", .immediate { _ in cancelled })
    }

    static let paid = page("Payment received", "Thank you — your deposit is paid. You will get a confirmation by text shortly.")
    static let cancelled = page("Payment not completed", "Your deposit was not paid. You can use the link in your text message again at any time.")

    static func page(_ title: String, _ text: String) -> HTTPResponse {
        HTTPResponse.text("""
            <!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">
            <h1>\(title)</h1><p>\(text)</p></body></html>
            """, contentType: "text/html; charset=utf-8")
    }
}

import Dispatch

/// Lets a synchronous caller wait for a task (shutdown runs on the main thread, outside the pool).
final class DispatchSemaphoreBox: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func signal() { semaphore.signal() }
    func wait() { semaphore.wait() }
}

/// Carries an error out of a task to a synchronous caller.
final class ErrorBox: @unchecked Sendable {
    // @unchecked Sendable: written once by the task before `DispatchSemaphoreBox.signal()`,
    // read after `wait()` returns; the semaphore orders the two.
    private(set) var value: (any Error)?
    func set(_ error: any Error) { value = error }
}
