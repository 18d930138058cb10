import Model

/// What a compensation undid, in words both parties can be told ("the booking was cancelled",
/// "your $37.25 deposit was refunded"), with the amount given back.
public struct Undo: Sendable, Equatable {
    /// `booking`, `deposit` or `payment`.
    public var subject: String
    /// Minor units given back; 0 when nothing had been paid.
    public var refunded: Int64
    /// A clause for a sentence: "the booking was cancelled".
    public var text: String

    public init(subject: String, refunded: Int64 = 0, text: String) {
        self.subject = subject
        self.refunded = refunded
        self.text = text
    }

    public var json: JSON { ["subject": .string(subject), "refunded": .int(refunded), "text": .string(text)] }
}
