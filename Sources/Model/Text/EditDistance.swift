/// Levenshtein distance and "did you mean" suggestions for names in configuration.
public enum EditDistance {
    /// Single-character insertions, deletions and substitutions turning `a` into `b`.
    public static func between(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidate closest to `name`, if it is close enough to be a likely typo: about a third
    /// of the name's length (at least 1, at most 3 edits), or differing only in case.
    public static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
        let lowered = name.lowercased()
        let length = lowered.unicodeScalars.count
        let limit = min(3, max(1, (name.count + 2) / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = candidate.lowercased()
            if other == lowered && candidate != name { return candidate }
            // Lengths that differ by more than the limit take more edits than it allows, so most
            // of a long list (600 time zones) is passed over without the quadratic comparison.
            guard abs(other.unicodeScalars.count - length) <= limit else { continue }
            let distance = between(lowered, other)
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// ` (did you mean "x"?)`, or an empty string when nothing is close.
    public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
        suggestion(for: name, among: candidates).map { " (did you mean \"\($0)\"?)" } ?? ""
    }
}
