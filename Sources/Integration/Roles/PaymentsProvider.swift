/// Takes money: deposit links, charges and refunds (Stripe).
///
/// Every call that creates something carries an idempotency key derived from the context, so a
/// step run twice creates one object. Amounts are in the currency's minor units (cents).
public protocol PaymentsProvider: Sendable {
    /// A hosted payment page for a one-off amount (a deposit link sent by SMS).
    func createCheckoutSession(_ request: CheckoutSessionRequest, context: CallContext) async throws -> CheckoutSession
    /// The session as it stands: whether it was paid, and by which PaymentIntent.
    func retrieveCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession
    /// Closes an open session so it can no longer be paid (Stripe answers 400 once it is complete).
    func expireCheckoutSession(id: String, context: CallContext) async throws -> CheckoutSession
    func createPaymentIntent(_ request: PaymentIntentRequest, context: CallContext) async throws -> PaymentIntent
    func retrievePaymentIntent(id: String, context: CallContext) async throws -> PaymentIntent
    func createRefund(_ request: RefundRequest, context: CallContext) async throws -> Refund
}

public struct CheckoutSessionRequest: Sendable, Equatable {
    public var amount: Int64
    /// ISO 4217, lowercase (`usd`).
    public var currency: String
    /// The line item's name shown on the payment page.
    public var description: String
    public var customerEmail: String?
    /// Copied to the session and to its PaymentIntent, so payment webhooks carry it too.
    public var metadata: [String: String]
    public var successURL: String
    public var cancelURL: String

    public init(amount: Int64, currency: String, description: String, customerEmail: String? = nil,
                metadata: [String: String] = [:], successURL: String, cancelURL: String) {
        self.amount = amount
        self.currency = currency
        self.description = description
        self.customerEmail = customerEmail
        self.metadata = metadata
        self.successURL = successURL
        self.cancelURL = cancelURL
    }
}

public struct CheckoutSession: Sendable, Equatable {
    public var id: String
    /// The page to send the customer to.
    public var url: String?
    /// `open`, `complete` or `expired`.
    public var status: String?
    /// `paid`, `unpaid` or `no_payment_required`.
    public var paymentStatus: String?
    /// Set once the session created its PaymentIntent (at creation in older API versions).
    public var paymentIntent: String?
    public var amountTotal: Int64?

    public init(id: String, url: String? = nil, status: String? = nil, paymentStatus: String? = nil, paymentIntent: String? = nil, amountTotal: Int64? = nil) {
        self.id = id
        self.url = url
        self.status = status
        self.paymentStatus = paymentStatus
        self.paymentIntent = paymentIntent
        self.amountTotal = amountTotal
    }
}

public struct PaymentIntentRequest: Sendable, Equatable {
    public var amount: Int64
    public var currency: String
    public var description: String?
    public var receiptEmail: String?
    public var metadata: [String: String]

    public init(amount: Int64, currency: String, description: String? = nil, receiptEmail: String? = nil,
                metadata: [String: String] = [:]) {
        self.amount = amount
        self.currency = currency
        self.description = description
        self.receiptEmail = receiptEmail
        self.metadata = metadata
    }
}

public struct PaymentIntent: Sendable, Equatable {
    public var id: String
    /// `requires_payment_method`, `processing`, `succeeded`, `canceled`, ...
    public var status: String
    public var amount: Int64
    public var currency: String
    /// For a client-side confirmation; a credential of this payment: never log it.
    public var clientSecret: String?
    public var metadata: [String: String]

    public init(id: String, status: String, amount: Int64, currency: String, clientSecret: String? = nil, metadata: [String: String]) {
        self.id = id
        self.status = status
        self.amount = amount
        self.currency = currency
        self.clientSecret = clientSecret
        self.metadata = metadata
    }
}

public struct RefundRequest: Sendable, Equatable {
    public enum Reason: String, Sendable {
        case duplicate, fraudulent
        case requestedByCustomer = "requested_by_customer"
    }

    public var paymentIntent: String
    /// Part of the payment; nil refunds all of it.
    public var amount: Int64?
    public var reason: Reason?
    public var metadata: [String: String]

    public init(paymentIntent: String, amount: Int64? = nil, reason: Reason? = nil, metadata: [String: String] = [:]) {
        self.paymentIntent = paymentIntent
        self.amount = amount
        self.reason = reason
        self.metadata = metadata
    }
}

public struct Refund: Sendable, Equatable {
    public var id: String
    /// `pending`, `succeeded`, `failed`, `canceled`.
    public var status: String?
    public var amount: Int64
    public var paymentIntent: String?

    public init(id: String, status: String? = nil, amount: Int64, paymentIntent: String? = nil) {
        self.id = id
        self.status = status
        self.amount = amount
        self.paymentIntent = paymentIntent
    }
}
