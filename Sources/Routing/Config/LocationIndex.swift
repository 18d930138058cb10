import Model
import Native

/// Finds where a setting is in the file from its dotted path (`flows.booking.states.quote.on.ok`,
/// `services.drain_cleaning.price`, `tenant.closed_dates[2]`), by walking the YAML tree. Lookups
/// happen only when something is reported, so loading a clean file records nothing.
struct LocationIndex {
    let root: YAMLNode
    let source: SourceText
    /// Entries the file declares (`templates.booking_confirmed`, `services.drain`), valid or not:
    /// a reference to a declared entry that failed to decode is not reported a second time.
    var declared: Set<String> = []

    init(root: YAMLNode, source: SourceText) {
        self.root = root
        self.source = source
    }

    /// The node at `path` and, when it is a mapping member, its key; nil when some component is
    /// not in the file. List elements are found by position (`rules[2]`) or by their `id` or
    /// `name` (`services.drain_cleaning`).
    func resolve(_ path: String) -> (key: YAMLNode?, node: YAMLNode)? {
        var node = root
        var key: YAMLNode?
        guard !path.isEmpty else { return (nil, root) }
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            var name = component
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "["), let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                if let pair = node.mapping?.first(where: { $0.key.scalar?.text == String(name) }) {
                    key = pair.key
                    node = pair.value
                } else if let element = node.sequence?.first(where: { ($0["id"] ?? $0["name"])?.scalar?.text == String(name) }) {
                    key = nil
                    node = element
                } else {
                    return nil
                }
            }
            for index in indices {
                guard let items = node.sequence, items.indices.contains(index) else { return nil }
                key = nil
                node = items[index]
            }
        }
        return (key, node)
    }

    func keyLocation(_ path: String) -> SourceLocation? { resolve(path)?.key?.location }

    func valueLocation(_ path: String) -> SourceLocation? { resolve(path)?.node.location ?? location(path) }

    /// The key's location if the path is a mapping member, else the value's, else the nearest
    /// enclosing setting's.
    func location(_ path: String) -> SourceLocation? {
        var current = Substring(path)
        while true {
            if let found = resolve(String(current)) { return found.key?.location ?? found.node.location }
            guard let dot = current.lastIndex(of: ".") else { return root.location }
            current = current[..<dot]
        }
    }

    /// Where the text of the scalar at `path` sits, for placing positions inside it.
    func textOrigin(_ path: String) -> TextOrigin? {
        guard let node = resolve(path)?.node, node.scalar != nil else { return nil }
        return TextOrigin(node: node, source: source)
    }
}
