/// Message text made fit to be spoken on a call: links are left to the SMS copy, lines become
/// sentences, runs of spaces collapse.
public enum SpokenText {
    /// What is said in place of a link.
    public static let linkPhrase = "the link in our text message"

    /// `"Pay here: https://pay.example/cs_1\nSee you soon"` → `"Pay here: the link in our text message. See you soon."`.
    public static func from(_ text: String) -> String {
        var sentences: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { word -> String in
                let lowered = word.lowercased()
                guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return String(word) }
                // Keep sentence punctuation that followed the link.
                let trailing = word.reversed().prefix { ".,;:!?)".contains($0) }
                return linkPhrase + String(trailing.reversed())
            }
            guard !words.isEmpty else { continue }
            var sentence = words.joined(separator: " ")
            if let last = sentence.last, !".!?:;,".contains(last) { sentence += "." }
            sentences.append(sentence)
        }
        return sentences.joined(separator: " ")
    }
}
