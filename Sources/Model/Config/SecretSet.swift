/// A setting's secrets: one, or during a rotation a short list, newest first.
///
/// `current` (the first) is what Switchboard uses itself: the credential it calls a provider
/// with, the secret the sandbox signs with. Verifying an inbound webhook accepts a signature made
/// with any of `all`, so a provider can move from the old secret to the new one while both are
/// listed. Like `Secret`, its descriptions and JSON form never contain a value.
///
/// ```swift
/// let secrets = SecretSet([new, old])!   // secret: ["${WHSEC_NEW}", "${WHSEC_OLD}"]
/// secrets.current                        // new
/// secrets.position(of: 1)                // "secret 2 of 2"
/// ```
public struct SecretSet: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How many a tenant file may list: the new, the old, and one older still being retired.
    public static let maximumCount = 3

    /// Every secret, the current one first; never empty.
    public let all: [Secret]

    /// One secret, not rotating.
    public init(_ secret: Secret) { all = [secret] }

    /// `nil` when `secrets` is empty.
    public init?(_ secrets: [Secret]) {
        guard !secrets.isEmpty else { return nil }
        all = secrets
    }

    /// The newest: used for calls and for signing.
    public var current: Secret { all[0] }

    public var count: Int { all.count }

    /// More than one is listed: a rotation is under way.
    public var isRotating: Bool { all.count > 1 }

    /// `"secret 2 of 2"` for the entry at `index` (from 0): safe to log, it names no value.
    public func position(of index: Int) -> String { "secret \(index + 1) of \(all.count)" }

    public var description: String {
        all.count == 1 ? current.description : "[" + all.map(\.description).joined(separator: ", ") + "]"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["all": all]) }

    /// What a JSON rendering of configuration shows in place of the values.
    public var json: JSON { all.count == 1 ? current.json : .array(all.map(\.json)) }
}
