/// Durations as tenant files write them: `500ms`, `30s`, `15m`, `2h`, `1d`, or combined as `1h30m`.
enum DurationText {
    static func parse(_ text: String) -> Duration? {
        var total: Duration = .zero
        var digits = ""
        var characters = Array(text)[...]
        guard !characters.isEmpty else { return nil }
        while let character = characters.first {
            if character.isASCII && character.isNumber {
                digits.append(character)
                characters = characters.dropFirst()
                continue
            }
            guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { return nil }
            digits = ""
            if characters.starts(with: ["m", "s"]) {
                total += .milliseconds(amount)
                characters = characters.dropFirst(2)
                continue
            }
            switch character {
            case "s": total += .seconds(amount)
            case "m": total += .seconds(amount * 60)
            case "h": total += .seconds(amount * 3600)
            case "d": total += .seconds(amount * 86_400)
            default: return nil
            }
            characters = characters.dropFirst()
        }
        return digits.isEmpty ? total : nil
    }

    /// `1h30m`, `45s`, `250ms`.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds == 0 { return "\(attoseconds / 1_000_000_000_000_000)ms" }
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
