/// A name the customer gave in their own words ("this is Dana", "my name is Dana Reyes", "I'm
/// Dana."), read conservatively: only after one of those phrases, only a capitalised word (two
/// for "my name is"), never a common word that follows them ("I'm Sorry", "this is Urgent"), and
/// after "I'm" or "I am" only when the name ends the sentence or is followed by "here" or "from"
/// ("I'm Dana from 5th Street", not "I'm Having trouble"). Lowercase names are not taken.
public enum NameInText {
    public static func find(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        let words = tokens(text)
        for index in words.indices {
            let lowered = words[index...].prefix(3).map { $0.word.lowercased() }
            if lowered.starts(with: ["my", "name", "is"]) || lowered.starts(with: ["my", "name's"]) {
                let at = index + (lowered[1] == "name's" ? 2 : 3)
                if let first = name(at: at, in: words) {
                    let second = words[at].endsSentence ? nil : name(at: at + 1, in: words)
                    return second.map { "\(first) \($0)" } ?? first
                }
            } else if lowered.starts(with: ["this", "is"]) {
                if let found = name(at: index + 2, in: words) { return found }
            } else if lowered.first == "i'm" || lowered.starts(with: ["i", "am"]) {
                let at = index + (lowered.first == "i'm" ? 1 : 2)
                guard let found = name(at: at, in: words) else { continue }
                let next = words.indices.contains(at + 1) ? words[at + 1].word.lowercased() : nil
                if words[at].endsSentence || next == nil || next == "here" || next == "from" { return found }
            }
        }
        return nil
    }

    private struct Token {
        var word: String
        /// Punctuation after it: the name ends there.
        var endsSentence: Bool
    }

    private static func tokens(_ text: String) -> [Token] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { raw in
            var word = Substring(raw.replacing("\u{2019}", with: "'"))
            var ends = false
            while let last = word.last, ",.!?;:)".contains(last) {
                word = word.dropLast()
                ends = true
            }
            while let first = word.first, "(\"".contains(first) { word = word.dropFirst() }
            return Token(word: String(word), endsSentence: ends)
        }
    }

    /// The word at `index` when it reads as a given name: a capital, then lowercase letters (an
    /// apostrophe or hyphen inside, and a capital after it: O'Neil, Anne-Marie), 2 to 24
    /// characters, not a possessive ("Friday's") and not a common word.
    private static func name(at index: Int, in words: [Token]) -> String? {
        guard words.indices.contains(index) else { return nil }
        let word = words[index].word
        guard (2...24).contains(word.count), let first = word.first, first.isUppercase, first.isLetter,
              !word.lowercased().hasSuffix("'s"), !notNames.contains(word.lowercased()) else { return nil }
        var previous = first
        for character in word.dropFirst() {
            let joins = character == "'" || character == "-"
            guard character.isLowercase || joins || (character.isUppercase && (previous == "'" || previous == "-")) else { return nil }
            previous = character
        }
        return word
    }

    /// Words that follow "this is" or "I'm" without being a name.
    static let notNames: Set<String> = [
        "a", "an", "the", "not", "in", "at", "on", "out", "home", "here", "there", "back", "just", "so", "very", "really",
        "sorry", "looking", "calling", "texting", "writing", "wondering", "trying", "having", "getting", "going", "moving",
        "interested", "available", "free", "busy", "away", "urgent", "important", "about", "regarding", "re", "for", "from",
        "your", "my", "our", "his", "her", "their", "new", "still", "also", "afraid", "sure", "unsure", "ok", "okay", "fine",
        "good", "great", "hoping", "needing", "after", "ready", "done", "late", "early", "it", "is", "what", "when", "how",
        "hi", "hello", "hey", "thanks", "mr", "mrs", "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "today", "tomorrow", "tonight", "morning", "afternoon", "evening", "booked", "planning",
    ]
}
