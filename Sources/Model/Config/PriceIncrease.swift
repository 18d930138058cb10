/// `pricing.on_increase`: what `scheduling.book` does when the price, evaluated again for what is
/// being booked (the slot picked, the service and fields as they now stand), is higher than the
/// quote. A lower price is always applied.
public enum PriceIncrease: String, Sendable, Hashable, CaseIterable {
    /// Ask the customer to confirm the new price; book only on a yes.
    case ask
    /// Book at the new price and say so in the confirmation.
    case apply
    /// Book at the quoted price.
    case keepQuote = "keep_quote"

    /// The policy when the file sets none: ask where the booking state has somewhere to go when
    /// the customer says no (`declined`), else keep the quote. Either way the customer is never
    /// charged more than quoted without saying yes.
    public static func `default`(routesDeclined: Bool) -> PriceIncrease { routesDeclined ? .ask : .keepQuote }
}
