import Glibc

/// Reads a fuzz input in pieces: targets that need several values (a secret, a body, a header)
/// take them from one byte string, separated by NUL bytes.
struct FuzzInput {
    private let bytes: [UInt8]

    init(_ data: UnsafeRawBufferPointer) { bytes = Array(data) }

    /// The first `count` NUL-separated parts; missing ones are empty, the last keeps any NULs.
    func parts(_ count: Int) -> [[UInt8]] {
        var parts = bytes.split(separator: 0, maxSplits: count - 1, omittingEmptySubsequences: false).map(Array.init)
        while parts.count < count { parts.append([]) }
        return parts
    }
}

/// Files named on the replay command line: a file, or every file in a directory.
enum FuzzFiles {
    static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [path] }
        defer { closedir(dir) }
        var files: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { files.append(path + "/" + name) }
        }
        return files.sorted()
    }

    static func read(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
