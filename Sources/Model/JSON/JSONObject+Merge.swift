extension JSONObject {
    /// Sets the value at a dotted path, creating objects along the way.
    public mutating func set(_ path: String, _ value: JSON) {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 1 {
            self[parts[0]] = value
            return
        }
        var child = self[parts[0]]?.objectValue ?? JSONObject()
        child.set(parts[1], value)
        self[parts[0]] = .object(child)
    }

    /// Merges `other` into this object: objects merge key by key, anything else replaces.
    public mutating func merge(_ other: JSONObject) {
        for (key, value) in other {
            if case .object(let incoming) = value, case .object(var existing)? = self[key] {
                existing.merge(incoming)
                self[key] = .object(existing)
            } else {
                self[key] = value
            }
        }
    }
}
