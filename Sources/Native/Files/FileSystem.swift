internal import CLinux
import Glibc
import Synchronization

/// Whole-file reads and writes and directory listings, for configuration and tests.
public enum FileSystem {
    public enum Kind: Sendable, Equatable {
        case file, directory, other
    }

    /// One directory entry; `kind` follows symbolic links (nil for a dangling link).
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var kind: Kind?
    }

    /// The whole contents of the file at `path`.
    ///
    /// - Throws: `SystemError` naming the path; `EFBIG` when the file is larger than `maxBytes`.
    public static func readFile(_ path: String, maxBytes: Int = 8 << 20) throws(SystemError) -> [UInt8] {
        let fd = try check("open", subject: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var info = stat()
        _ = try check("fstat", subject: path) { fstat(fd, &info) }
        guard Int(info.st_size) <= maxBytes else { throw SystemError(call: "read", errno: EFBIG, subject: path) }
        var capacity = max(Int(info.st_size) + 1, 4096)
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            if count == capacity {
                guard capacity < maxBytes else { throw SystemError(call: "read", errno: EFBIG, subject: path) }
                // The file grew since fstat: double the buffer.
                capacity *= 2
                let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
                larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                buffer.deallocate()
                buffer = larger
            }
            let base = buffer.baseAddress! + count
            let room = capacity - count
            let n = try check("read", subject: path) { read(fd, base, room) }
            if n == 0 { break }
            count += n
        }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// Writes `bytes` to a temporary file beside `path` and renames it over `path`, so readers see
    /// the old or the new contents, never a mix.
    public static func writeFileAtomically(_ path: String, _ bytes: some Collection<UInt8>) throws(SystemError) {
        let temporary = path + ".tmp-\(getpid())-\(temporaryCounter.wrappingAdd(1, ordering: .relaxed).oldValue)"
        do throws(SystemError) {
            try write(Array(bytes), to: temporary)
            _ = try check("rename", subject: path) { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static let temporaryCounter = Atomic<Int>(0)

    /// Appends `bytes` to the file at `path` (created with mode 0600 if missing) and syncs it to
    /// disk before returning: what was appended survives a crash that follows.
    public static func appendDurably(_ bytes: [UInt8], to path: String) throws(SystemError) {
        let fd = try check("open", subject: path) { open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600) }
        defer { close(fd) }
        try writeAll(bytes, to: fd, path: path)
        _ = try check("fsync", subject: path) { fsync(fd) }
    }

    /// Creates the folder at `path` and any missing parents (`mkdir -p`), each with `mode`.
    public static func makeDirectories(_ path: String, mode: UInt32 = 0o755) throws(SystemError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, mode) != 0 && errno != EEXIST {
                throw SystemError(call: "mkdir", errno: errno, subject: built)
            }
        }
    }

    private static func write(_ contents: [UInt8], to path: String) throws(SystemError) {
        let fd = try check("open", subject: path) { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        defer { close(fd) }
        try writeAll(contents, to: fd, path: path)
    }

    /// Writes every byte, however many calls it takes.
    private static func writeAll(_ contents: [UInt8], to fd: Int32, path: String) throws(SystemError) {
        let written: Result<Void, SystemError> = contents.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                do throws(SystemError) {
                    offset += try check("write", subject: path) { Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
                } catch {
                    return .failure(error)
                }
            }
            return .success(())
        }
        try written.get()
    }

    /// The entries of the directory at `path` except `.` and `..`, sorted by name.
    public static func listDirectory(_ path: String) throws(SystemError) -> [Entry] {
        guard let directory = opendir(path) else { throw SystemError.last("opendir", subject: path) }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            let name = entryName(entry)
            if name == "." || name == ".." { continue }
            entries.append(Entry(name: name, kind: kind(of: path + "/" + name)))
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// The name of a `readdir` entry, read up to its NUL in place: the record is only as long as
    /// the name, so copying all of `d_name` would read past it into whatever follows.
    public static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafeMutablePointer(to: &entry.pointee.d_name) { name in
            name.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
    }

    /// What is at `path` (following symbolic links), or nil when nothing is.
    public static func kind(of path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Creates a fresh private directory under `/tmp` (or `$TMPDIR`) and returns its path.
    public static func makeTemporaryDirectory(prefix: String) throws(SystemError) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base + "/" + prefix + "-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw SystemError.last("mkdtemp", subject: base) }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes the file at `path`; a missing file is not an error.
    public static func removeFile(_ path: String) throws(SystemError) {
        if unlink(path) != 0 && switchboard_errno() != ENOENT { throw SystemError.last("unlink", subject: path) }
    }

    /// Removes `path` and, for a directory, everything in it.
    public static func removeTree(_ path: String) {
        if kind(of: path) == .directory, let entries = try? listDirectory(path) {
            for entry in entries { removeTree(path + "/" + entry.name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
