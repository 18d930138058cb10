/// Identifiers in each provider's shape: `pi_3Qx…`, `SM` + 32 hex digits, numeric HubSpot ids.
enum SandboxIDs {
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    private static let hexDigits = Array("0123456789abcdef")

    static func alphanumeric(_ prefix: String, length: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphanumerics.randomElement(using: &generator)! })
    }

    static func hex(_ prefix: String, length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in hexDigits.randomElement(using: &generator)! })
    }

    /// A v4-shaped UUID (HubSpot correlation ids).
    static func uuid() -> String {
        let raw = hex("", length: 32)
        let c = Array(raw)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-4\(String(c[13..<16]))-a\(String(c[17..<20]))-\(String(c[20..<32]))"
    }
}
