/// One zone's rules from the IANA time zone database, read from its compiled TZif file
/// (RFC 8536, `/usr/share/zoneinfo` from Debian's tzdata): the recorded transitions, then the
/// footer's POSIX TZ rule for every instant after the last of them.
///
/// The database on the machine is the one the operating system keeps current, and reading it
/// directly keeps ICU (and the shared libraries it pulls in) out of the process.
public struct ZoneRules: Sendable {
    /// A local time type: the offset east of UTC, whether it is daylight saving time, and its
    /// abbreviation (`CDT`, `BST`, or a number such as `-03` where the zone has no letters).
    public struct LocalTimeType: Sendable, Equatable {
        public var offsetSeconds: Int
        public var isDaylightSaving: Bool
        public var abbreviation: String
    }

    /// UTC instants at which the local time type changes, ascending.
    let transitions: [Int64]
    /// The type in force from each transition on.
    let transitionTypes: [LocalTimeType]
    /// The type before the first transition (or always, when there are none and no footer).
    let initialType: LocalTimeType
    /// The rule after the last transition, from the file's footer.
    let footer: PosixTimeZoneRule?

    init(transitions: [Int64], transitionTypes: [LocalTimeType], initialType: LocalTimeType, footer: PosixTimeZoneRule?) {
        self.transitions = transitions
        self.transitionTypes = transitionTypes
        self.initialType = initialType
        self.footer = footer
    }

    /// A zone that is always `offsetSeconds` east of UTC.
    public static func fixed(offsetSeconds: Int, abbreviation: String) -> ZoneRules {
        ZoneRules(transitions: [], transitionTypes: [],
                  initialType: LocalTimeType(offsetSeconds: offsetSeconds, isDaylightSaving: false, abbreviation: abbreviation),
                  footer: nil)
    }

    /// A zone that follows a POSIX TZ rule (`CST6CDT,M3.2.0,M11.1.0`) at every instant; nil
    /// when `posixRule` is not one.
    public init?(posixRule: String) {
        guard let rule = PosixTimeZoneRule(posixRule) else { return nil }
        self.init(transitions: [], transitionTypes: [], initialType: rule.standard, footer: rule)
    }

    /// The local time type in force at `unixSeconds`.
    public func type(atUnixSeconds unixSeconds: Int64) -> LocalTimeType {
        guard let last = transitions.last else { return footer?.type(atUnixSeconds: unixSeconds) ?? initialType }
        if unixSeconds >= last, let footer { return footer.type(atUnixSeconds: unixSeconds) }
        // The last transition at or before the instant.
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= unixSeconds { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? initialType : transitionTypes[low - 1]
    }
}

extension ZoneRules {
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notTZif
        case truncated
        case invalid(String)

        public var description: String {
            switch self {
            case .notTZif: "not a TZif file"
            case .truncated: "the TZif file ends early"
            case .invalid(let what): "invalid TZif file: \(what)"
            }
        }
    }

    /// Parses a TZif file of any version; from version 2 on, the 64-bit data and the footer.
    public init(tzif bytes: [UInt8]) throws(ParseError) {
        var reader = TZifReader(bytes: bytes)
        var header = try reader.header()
        var timeSize = 4
        if header.version >= 2 {
            // Version 2+ repeats the data with 64-bit times after the version 1 block.
            try reader.skip(header.dataLength(timeSize: 4))
            header = try reader.header()
            timeSize = 8
        }
        guard header.leapCount == 0 else { throw .invalid("leap second records (a right/ zone)") }
        guard header.typeCount > 0 else { throw .invalid("no local time types") }
        var transitions: [Int64] = []
        transitions.reserveCapacity(header.timeCount)
        for _ in 0..<header.timeCount { transitions.append(try reader.signed(size: timeSize)) }
        var typeIndices: [Int] = []
        for _ in 0..<header.timeCount { typeIndices.append(Int(try reader.byte())) }
        var rawTypes: [(offset: Int, isDST: Bool, abbreviationIndex: Int)] = []
        for _ in 0..<header.typeCount {
            let offset = Int(try reader.signed(size: 4))
            let isDST = try reader.byte() != 0
            rawTypes.append((offset, isDST, Int(try reader.byte())))
        }
        let characters = Array(try reader.bytes(header.characterCount))
        try reader.skip(header.standardCount + header.utcCount)
        let types = try rawTypes.map { raw throws(ParseError) -> LocalTimeType in
            guard raw.abbreviationIndex < characters.count else { throw .invalid("abbreviation index out of range") }
            let name = characters[raw.abbreviationIndex...].prefix { $0 != 0 }
            return LocalTimeType(offsetSeconds: raw.offset, isDaylightSaving: raw.isDST,
                                 abbreviation: String(decoding: name, as: UTF8.self))
        }
        guard typeIndices.allSatisfy({ $0 < types.count }) else { throw .invalid("transition type out of range") }
        guard zip(transitions, transitions.dropFirst()).allSatisfy({ $0 < $1 }) else { throw .invalid("transitions out of order") }
        var footer: PosixTimeZoneRule?
        if header.version >= 2 {
            let text = try reader.footer()
            if !text.isEmpty {
                guard let rule = PosixTimeZoneRule(text) else { throw .invalid("footer '\(text)' is not a POSIX TZ rule") }
                footer = rule
            }
        }
        self.transitions = transitions
        self.transitionTypes = typeIndices.map { types[$0] }
        self.initialType = types[0]
        self.footer = footer
    }
}

/// Big-endian reads through a TZif file, each checked against its end.
private struct TZifReader {
    struct Header {
        var version: Int
        var utcCount: Int, standardCount: Int, leapCount: Int
        var timeCount: Int, typeCount: Int, characterCount: Int

        func dataLength(timeSize: Int) -> Int {
            timeCount * timeSize + timeCount + typeCount * 6 + characterCount
                + leapCount * (timeSize + 4) + standardCount + utcCount
        }
    }

    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func header() throws(ZoneRules.ParseError) -> Header {
        guard bytes.count - position >= 44 else { throw .truncated }
        guard bytes[position..<position + 4].elementsEqual("TZif".utf8) else { throw .notTZif }
        let versionByte = bytes[position + 4]
        let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
        guard (1...9).contains(version) else { throw .invalid("version byte \(versionByte)") }
        position += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let count = try signed(size: 4)
            guard count >= 0, count < 1 << 20 else { throw .invalid("count \(count)") }
            counts.append(Int(count))
        }
        return Header(version: version, utcCount: counts[0], standardCount: counts[1], leapCount: counts[2],
                      timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
    }

    mutating func skip(_ count: Int) throws(ZoneRules.ParseError) {
        guard bytes.count - position >= count else { throw .truncated }
        position += count
    }

    mutating func byte() throws(ZoneRules.ParseError) -> UInt8 {
        guard position < bytes.count else { throw .truncated }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func bytes(_ count: Int) throws(ZoneRules.ParseError) -> ArraySlice<UInt8> {
        guard bytes.count - position >= count else { throw .truncated }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// A two's-complement big-endian integer of 4 or 8 bytes.
    mutating func signed(size: Int) throws(ZoneRules.ParseError) -> Int64 {
        var value: UInt64 = 0
        for byte in try bytes(size) { value = value << 8 | UInt64(byte) }
        return size == 4 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: value))) : Int64(bitPattern: value)
    }

    /// The text between the newlines that end a version 2+ file.
    mutating func footer() throws(ZoneRules.ParseError) -> String {
        guard try byte() == UInt8(ascii: "\n") else { throw .invalid("no footer") }
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else { throw .truncated }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }
}
