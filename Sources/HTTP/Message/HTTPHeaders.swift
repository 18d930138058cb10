/// Header fields of a request, kept as the bytes that arrived plus the ranges of each name and
/// value, so parsing costs one copy and values become strings only when asked for.
public struct HTTPHeaders: Sendable, Sequence {
    struct Field: Sendable {
        var nameStart: Int32, nameEnd: Int32, valueStart: Int32, valueEnd: Int32
    }

    private(set) var storage: [UInt8]
    private(set) var fields: [Field]

    init(storage: [UInt8], fields: [Field]) {
        self.storage = storage
        self.fields = fields
    }

    public init() {
        storage = []
        fields = []
    }

    /// Builds headers from name/value pairs (tests, in-process calls).
    public init(_ pairs: [(String, String)]) {
        self.init()
        for (name, value) in pairs { add(name: name, value: value) }
    }

    public mutating func add(name: String, value: String) {
        let nameStart = Int32(storage.count)
        storage.append(contentsOf: name.utf8)
        let nameEnd = Int32(storage.count)
        storage.append(contentsOf: value.utf8)
        fields.append(Field(nameStart: nameStart, nameEnd: nameEnd, valueStart: nameEnd, valueEnd: Int32(storage.count)))
    }

    public var count: Int { fields.count }

    /// The first value of the named field (names compare case-insensitively).
    public subscript(name: String) -> String? {
        guard let field = firstField(named: name) else { return nil }
        return string(field.valueStart, field.valueEnd)
    }

    /// Every value of the named field, in order.
    public func values(for name: String) -> [String] {
        var out: [String] = []
        var name = name
        name.withUTF8 { wanted in
            for field in fields where matches(field, wanted) {
                out.append(string(field.valueStart, field.valueEnd))
            }
        }
        return out
    }

    public func contains(_ name: String) -> Bool { firstField(named: name) != nil }

    public func makeIterator() -> AnyIterator<(name: String, value: String)> {
        var index = 0
        return AnyIterator {
            guard index < fields.count else { return nil }
            let field = fields[index]
            index += 1
            return (string(field.nameStart, field.nameEnd), string(field.valueStart, field.valueEnd))
        }
    }

    func firstField(named name: String) -> Field? {
        var name = name
        return name.withUTF8 { wanted in fields.first { matches($0, wanted) } }
    }

    private func matches(_ field: Field, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = Int(field.nameEnd - field.nameStart)
        guard length == wanted.count else { return false }
        return storage.withUnsafeBufferPointer { bytes in
            var i = 0
            let base = Int(field.nameStart)
            while i < length {
                if asciiLower(bytes[base + i]) != asciiLower(wanted[i]) { return false }
                i += 1
            }
            return true
        }
    }

    func valueEquals(_ field: Field, caseInsensitive token: StaticString) -> Bool {
        let length = Int(field.valueEnd - field.valueStart)
        guard length == token.utf8CodeUnitCount else { return false }
        let base = Int(field.valueStart)
        for i in 0..<length where asciiLower(storage[base + i]) != asciiLower(token.utf8Start[i]) {
            return false
        }
        return true
    }

    func value(of field: Field) -> String { string(field.valueStart, field.valueEnd) }

    private func string(_ start: Int32, _ end: Int32) -> String {
        storage.withUnsafeBufferPointer { String(decoding: $0[Int(start)..<Int(end)], as: UTF8.self) }
    }
}

@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
}
