import Model

/// A series the customer asked for: every N weeks, optionally N times, read from the API's
/// fields (`repeat_every_weeks`, `occurrences`) or from words ("weekly", "every other week",
/// "fortnightly", "every 2 weeks", "monthly", "every Monday", "6 sessions", "for 8 weeks").
public struct RequestedRecurrence: Sendable, Equatable {
    public var everyWeeks: Int
    /// Occurrences asked for, the first included; nil: as many as the service allows.
    public var count: Int?
    /// The words it was read from, for the trace and the customer.
    public var phrase: String
    /// Read from the API's fields rather than the customer's words.
    public var fromFields = false

    /// A request that cannot be a series (a field of the wrong type, an interval under a week).
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
    }

    /// The request's field names, in one place so typed request fields can take them over.
    public enum Field {
        public static let everyWeeks = "repeat_every_weeks"
        public static let count = "occurrences"
    }

    public static func find(fields: JSONObject, text: String?) throws(Problem) -> RequestedRecurrence? {
        let weeksField = fields[Field.everyWeeks]
        let countField = fields[Field.count]
        if weeksField != nil || countField != nil {
            let weeks = try whole(weeksField, Field.everyWeeks, in: 1...520)
            let count = try whole(countField, Field.count, in: 1...520)
            guard let weeks else {
                throw Problem(message: "fields.\(Field.count) needs fields.\(Field.everyWeeks): how many weeks apart the appointments are")
            }
            return RequestedRecurrence(everyWeeks: weeks, count: count,
                                       phrase: "every \(weeks) week\(weeks == 1 ? "" : "s")" + (count.map { ", \($0) times" } ?? ""),
                                       fromFields: true)
        }
        guard let text else { return nil }
        return parse(text)
    }

    /// A whole number from a JSON field (a number, or digits as text), or a problem naming it.
    private static func whole(_ value: JSON?, _ name: String, in range: ClosedRange<Int>) throws(Problem) -> Int? {
        guard let value, !value.isNull else { return nil }
        let number = value.intValue ?? value.stringValue.flatMap { Int64($0.filter { $0 != " " }) }
        guard let number, let int = Int(exactly: number), range.contains(int) else {
            throw Problem(message: "fields.\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    static let numbers: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12,
    ]
    static let ordinals: [String: Int] = ["second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4]
    static let countNouns: Set<String> = ["times", "sessions", "appointments", "visits", "occurrences", "treatments", "classes"]

    public static func parse(_ text: String) -> RequestedRecurrence? {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "-") }.map(String.init)
        func number(_ index: Int) -> Int? {
            guard words.indices.contains(index) else { return nil }
            return Int(words[index]) ?? numbers[words[index]]
        }
        var weeks: Int?
        var phrase: [String] = []
        for (index, word) in words.enumerated() where weeks == nil {
            let next = index + 1 < words.count ? words[index + 1] : ""
            switch word {
            case "weekly":
                weeks = 1
                phrase = [word]
            case "fortnightly":
                weeks = 2
                phrase = [word]
            case "monthly":
                // Calendars repeat by weeks here: a month is four of them.
                weeks = 4
                phrase = [word]
            case "every", "each":
                if next == "week" { weeks = 1; phrase = [word, next] }
                else if next == "fortnight" { weeks = 2; phrase = [word, next] }
                else if next == "month" { weeks = 4; phrase = [word, next] }
                else if next == "other", index + 2 < words.count, words[index + 2] == "week" {
                    weeks = 2
                    phrase = [word, next, "week"]
                } else if let n = number(index + 1) ?? ordinals[next], index + 2 < words.count, ["week", "weeks"].contains(words[index + 2]) {
                    // "every 2 weeks", "every 1 week", "every second week".
                    weeks = n
                    phrase = [word, next, words[index + 2]]
                } else if Weekday.named(next) != nil || next.hasSuffix("s") && Weekday.named(String(next.dropLast())) != nil {
                    weeks = 1
                    phrase = [word, next]
                }
            case "once" where next == "a" && index + 2 < words.count && ["week", "fortnight", "month"].contains(words[index + 2]):
                weeks = ["week": 1, "fortnight": 2, "month": 4][words[index + 2]]
                phrase = [word, next, words[index + 2]]
            default:
                // "Mondays": every Monday.
                if word.hasSuffix("s"), Weekday(name: String(word.dropLast())) != nil, index > 0, words[index - 1] == "on" {
                    weeks = 1
                    phrase = ["on", word]
                }
            }
        }
        guard let weeks, weeks > 0 else { return nil }
        var count: Int?
        for (index, word) in words.enumerated() where count == nil {
            guard let n = Int(word) ?? numbers[word], index + 1 < words.count else { continue }
            let noun = words[index + 1]
            if countNouns.contains(noun) {
                count = n
                phrase.append("\(word) \(noun)")
            } else if ["weeks", "months"].contains(noun), index > 0, words[index - 1] == "for" {
                // "every 2 weeks for 8 weeks": 4 appointments; a month counts as four weeks.
                let span = noun == "weeks" ? n : n * 4
                count = max(1, span / weeks)
                phrase.append("for \(word) \(noun)")
            }
        }
        return RequestedRecurrence(everyWeeks: weeks, count: count, phrase: phrase.joined(separator: " "))
    }
}
