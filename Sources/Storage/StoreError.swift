/// Why the store could not do what was asked.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The database cannot take writes now (disk full, I/O error, locked too long): answer 503.
        case unavailable
        /// A unique key refused the write.
        case conflict
        /// The stored data could not be read back (a bug or corruption).
        case corrupt
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
