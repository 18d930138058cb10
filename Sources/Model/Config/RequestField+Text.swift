extension RequestField {
    /// The value the customer's words give this field through its aliases, and the phrase that
    /// gave it; nil when they say nothing about it.
    ///
    /// `enum`: the values whose phrases appear (the first in file order, or every one with
    /// `multiple`); `integer`/`decimal`: a number written in digits or as a word (one to twenty)
    /// right before one of the unit words, singular or plural ("3 bedrooms", "two-bathroom");
    /// `boolean`: true when a phrase appears.
    public func read(from words: [Substring]) -> (value: JSON, phrase: String)? {
        switch kind {
        case .enumeration:
            var chosen: [String] = []
            var phrases: [String] = []
            for value in values {
                guard let alias = aliases.first(where: { $0.value == value && WordMatch.contains(words, phrase: WordMatch.words(of: $0.phrase)) })
                else { continue }
                chosen.append(value)
                phrases.append(alias.phrase)
                if !isMultiple { break }
            }
            guard !chosen.isEmpty else { return nil }
            let phrase = phrases.map { "\"\($0)\"" }.joined(separator: ", ")
            return isMultiple ? (.array(chosen.map { .string($0) }), phrase) : (.string(chosen[0]), phrase)
        case .integer, .decimal:
            for alias in aliases {
                let unit = WordMatch.words(of: alias.phrase)
                guard !unit.isEmpty, words.count > unit.count else { continue }
                for start in 1...(words.count - unit.count) {
                    guard Self.sameWords(Array(words[start..<(start + unit.count)]), unit),
                          let number = Self.number(words[start - 1], decimal: kind == .decimal),
                          (minimum.map { number >= $0 } ?? true), (maximum.map { number <= $0 } ?? true) else { continue }
                    let value: JSON = kind == .integer ? .int(Int64(number)) : .double(number)
                    return (value, "\(words[start - 1]) \(unit.joined(separator: " "))")
                }
            }
            return nil
        case .boolean:
            guard let alias = aliases.first(where: { WordMatch.contains(words, phrase: WordMatch.words(of: $0.phrase)) }) else { return nil }
            return (.bool(true), "\"\(alias.phrase)\"")
        case .string, .date, .time, .email, .phone:
            return nil
        }
    }

    /// Word sequences equal but for a plural `s` on the last word.
    private static func sameWords(_ a: [Substring], _ b: [Substring]) -> Bool {
        guard a.count == b.count, let lastA = a.last, let lastB = b.last else { return false }
        guard a.dropLast() == b.dropLast() else { return false }
        return lastA == lastB || lastA == lastB + "s" || lastA + "s" == lastB
    }

    public static let numberWords: [Substring: Double] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19, "twenty": 20, "a": 1, "an": 1, "single": 1,
    ]

    private static func number(_ word: Substring, decimal: Bool) -> Double? {
        if let number = numberWords[word] { return number }
        guard word.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || (decimal && $0 == UInt8(ascii: ".")) }), let number = Double(word) else { return nil }
        return number
    }
}

extension String {
    /// `move_in_date` → `move in date`, for field and value names in messages.
    public var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
