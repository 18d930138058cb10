import Glibc
import Synchronization

/// The IANA time zone database the operating system keeps (Debian's tzdata): `$TZDIR`, or
/// `/usr/share/zoneinfo`. Each zone is read once and kept.
public enum ZoneInfoDatabase {
    /// The rules of `identifier` (`America/Chicago`), or nil when the database has no such zone.
    public static func rules(for identifier: String) -> ZoneRules? {
        if let known = cache.withLock({ $0[identifier] }) { return known }
        guard isWellFormed(identifier), let bytes = readFile(directory + "/" + identifier),
              let rules = try? ZoneRules(tzif: bytes) else { return nil }
        cache.withLock { $0[identifier] = rules }
        return rules
    }

    /// Every zone and link name of the database (from its `tzdata.zi` summary), sorted; read
    /// once, like the zones themselves.
    public static let identifiers: [String] = {
        guard let bytes = readFile(directory + "/tzdata.zi") else { return [] }
        var names: [String] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            // `Z name ...` is a zone; `L target name` a link to one.
            if fields.count >= 2, fields[0].elementsEqual("Z".utf8) {
                names.append(String(decoding: fields[1], as: UTF8.self))
            } else if fields.count == 3, fields[0].elementsEqual("L".utf8) {
                names.append(String(decoding: fields[2], as: UTF8.self))
            }
        }
        return names.sorted()
    }()

    static let directory: String = {
        if let value = getenv("TZDIR"), value.pointee != 0 { return String(cString: value) }
        return "/usr/share/zoneinfo"
    }()

    private static let cache = Mutex<[String: ZoneRules]>([:])

    /// Names like `America/Argentina/Buenos_Aires` or `Etc/GMT+5`: ASCII letters, digits and
    /// `_+-` in non-empty parts that do not start with a dot, so no name leaves the directory.
    static func isWellFormed(_ identifier: String) -> Bool {
        let utf8 = identifier.utf8
        guard !utf8.isEmpty, utf8.count <= 128 else { return false }
        return utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, first != UInt8(ascii: ".") else { return false }
            return part.allSatisfy { byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            }
        }
    }

    /// A regular file's bytes (TZif files are a few KiB; anything past 1 MiB is not one).
    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size <= 1 << 20 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            filled += count
        }
        return bytes
    }
}
