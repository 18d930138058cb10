/// A date/time pattern in the Unicode (ICU) letters most messages need:
/// `yyyy` `yy` year, `MMMM` `MMM` `MM` `M` month, `dd` `d` day, `EEEE` `EEE` weekday,
/// `HH` `H` 24-hour, `hh` `h` 12-hour, `mm` minute, `a` AM/PM, `z` zone abbreviation;
/// text in single quotes is literal (`'at'`), other punctuation and spaces are copied.
public struct DatePattern: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case literal(String)
        case field(Character, Int)
    }

    let tokens: [Token]
    public let description: String

    private static let supported: [Character: ClosedRange<Int>] = [
        "y": 2...4, "M": 1...4, "d": 1...2, "E": 3...4, "H": 1...2, "h": 1...2, "m": 2...2, "a": 1...1, "z": 1...1,
    ]

    /// The pattern, or nil when it uses a letter or a count Switchboard does not support, or has
    /// an unterminated quote.
    public static func parse(_ text: String) -> DatePattern? {
        var tokens: [Token] = []
        var characters = Array(text)[...]
        while let first = characters.first {
            if first == "'" {
                characters = characters.dropFirst()
                guard let end = characters.firstIndex(of: "'") else { return nil }
                tokens.append(.literal(String(characters[..<end])))
                characters = characters[(end + 1)...]
            } else if first.isLetter {
                let count = characters.prefix { $0 == first }.count
                guard let range = supported[first], range.contains(count), first != "y" || count != 3 else { return nil }
                tokens.append(.field(first, count))
                characters = characters.dropFirst(count)
            } else {
                tokens.append(.literal(String(first)))
                characters = characters.dropFirst()
            }
        }
        return DatePattern(tokens: tokens, description: text)
    }

    func joined(with literal: String, _ other: DatePattern) -> DatePattern {
        DatePattern.parse(description + literal + other.description) ?? self
    }

    private static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                      "August", "September", "October", "November", "December"]
    private static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Formats local calendar fields; `zone` supplies `z`.
    public func format(_ time: Timestamp.Civil, zoneAbbreviation: String?) -> String {
        var out = ""
        for token in tokens {
            switch token {
            case .literal(let text): out += text
            case .field(let letter, let count):
                switch letter {
                case "y": out += count == 2 ? Timestamp.pad(time.year % 100, 2) : String(time.year)
                case "M":
                    switch count {
                    case 1: out += String(time.month)
                    case 2: out += Timestamp.pad(time.month, 2)
                    case 3: out += String(Self.monthNames[time.month - 1].prefix(3))
                    default: out += Self.monthNames[time.month - 1]
                    }
                case "d": out += count == 2 ? Timestamp.pad(time.day, 2) : String(time.day)
                case "E": out += count == 3 ? String(Self.weekdayNames[time.weekday].prefix(3)) : Self.weekdayNames[time.weekday]
                case "H": out += count == 2 ? Timestamp.pad(time.hour, 2) : String(time.hour)
                case "h":
                    let hour = time.hour % 12 == 0 ? 12 : time.hour % 12
                    out += count == 2 ? Timestamp.pad(hour, 2) : String(hour)
                case "m": out += Timestamp.pad(time.minute, 2)
                case "a": out += time.hour < 12 ? "AM" : "PM"
                case "z": out += zoneAbbreviation ?? ""
                default: break
                }
            }
        }
        return out
    }
}
