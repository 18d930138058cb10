import Model
import Native

/// Reads the members of one YAML mapping by key, remembering which keys were asked for so that
/// `finish()` can report every other key as unknown, with a suggestion.
final class MappingReader {
    let node: YAMLNode
    let path: String
    private let reader: ConfigReader
    private var known: [String] = []
    private let pairs: [YAMLPair]
    // The pairs' keys, extracted once: lookups compare these instead of copying key nodes.
    private let keys: [String?]

    init(node: YAMLNode, pairs: [YAMLPair], path: String, reader: ConfigReader) {
        self.node = node
        self.pairs = pairs
        keys = pairs.map { $0.key.scalar?.text }
        self.path = path
        self.reader = reader
    }

    /// Every key and value, in file order, for mappings whose keys are names the file chooses
    /// (flows, states, templates). Keys are recorded as known.
    var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode, path: String)] {
        pairs.compactMap { pair in
            guard let key = pair.key.scalar?.text else { return nil }
            known.append(key)
            let child = join(path, key)
            return (key, pair.key, pair.value, child)
        }
    }

    /// The value of `key`, if present. Asking declares the key as allowed here.
    func value(_ key: String) -> YAMLNode? {
        known.append(key)
        guard let index = keys.firstIndex(of: key) else { return nil }
        return pairs[index].value
    }

    /// The value of `key`, reporting its absence. Null values count as absent.
    func required(_ key: String, what: String? = nil) -> YAMLNode? {
        guard let value = value(key), value.value != .null else {
            reader.error("missing required key \"\(key)\"" + (what.map { " (\($0))" } ?? ""), at: keyLocation, path: path)
            return nil
        }
        return value
    }

    /// Where to point for a problem with the mapping as a whole: the key that introduced it.
    var keyLocation: SourceLocation { reader.index.keyLocation(path) ?? node.location }

    /// Where `key`'s name is written in this mapping, if it is.
    func keyLocation(of key: String) -> SourceLocation? { keys.firstIndex(of: key).map { pairs[$0].key.location } }

    func contains(_ key: String) -> Bool { keys.contains(key) }

    /// Reports every key that was never asked for. Keys starting with `x-` are free for anchors.
    func finish(allowExtensions: Bool = false) {
        for (pair, key) in zip(pairs, keys) {
            guard let key, !known.contains(key) else { continue }
            if allowExtensions && key.hasPrefix("x-") { continue }
            let suggestion = EditDistance.suggestion(for: key, among: known)
            let message = suggestion.map { "unknown key (did you mean \"\($0)\"?)" }
                ?? "unknown key; allowed here: " + known.joined(separator: ", ")
            reader.error(message, at: pair.key.location, path: join(path, key))
        }
    }

    // Typed members.

    func string(_ key: String, required isRequired: Bool = false) -> String? {
        guard let node = isRequired ? required(key) : value(key) else { return nil }
        return reader.string(node, path: join(path, key))
    }

    func integer(_ key: String, in range: ClosedRange<Int>, required isRequired: Bool = false) -> Int? {
        guard let node = isRequired ? required(key) : value(key) else { return nil }
        return reader.integer(node, path: join(path, key), in: range)
    }

    func bool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        return reader.bool(node, path: join(path, key))
    }

    func duration(_ key: String, required isRequired: Bool = false) -> Duration? {
        guard let node = isRequired ? required(key) : value(key) else { return nil }
        return reader.duration(node, path: join(path, key))
    }

    func money(_ key: String, currency: Currency, required isRequired: Bool = false) -> Money? {
        guard let node = isRequired ? required(key) : value(key) else { return nil }
        return reader.money(node, path: join(path, key), currency: currency)
    }

    func strings(_ key: String) -> [String]? {
        guard let node = value(key) else { return nil }
        return reader.strings(node, path: join(path, key))
    }

    func template(_ key: String, required isRequired: Bool = false) -> Template? {
        guard let node = isRequired ? required(key) : value(key) else { return nil }
        return reader.template(node, path: join(path, key))
    }

    func mapping(_ key: String, required isRequired: Bool = false) -> MappingReader? {
        guard let node = isRequired ? required(key) : value(key) else { return nil }
        return reader.mapping(node, path: join(path, key))
    }
}
