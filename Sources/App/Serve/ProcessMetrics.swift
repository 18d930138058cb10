import Glibc
import Model
import Native

/// Process-level gauges in the names Prometheus' client libraries use.
enum ProcessMetrics {
    static func register(on registry: MetricsRegistry) {
        let start = Double(Clock.unixMillis()) / 1000
        registry.addCollector { writer in
            writer.family("process_resident_memory_bytes", help: "Resident memory size in bytes.", kind: .gauge)
            writer.sample("process_resident_memory_bytes", labels: Labels(), value: residentBytes())
            writer.family("process_open_fds", help: "Number of open file descriptors.", kind: .gauge)
            writer.sample("process_open_fds", labels: Labels(), value: openDescriptors())
            writer.family("process_start_time_seconds", help: "Start time of the process since the Unix epoch in seconds.", kind: .gauge)
            writer.sample("process_start_time_seconds", labels: Labels(), value: start)
        }
    }

    /// Resident set size from /proc/self/statm (second field, in pages).
    static func residentBytes() -> Int {
        guard let text = readSmallFile("/proc/self/statm") else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func openDescriptors() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            if !FileSystem.entryName(entry).hasPrefix(".") { count += 1 }
        }
        return max(0, count - 1)  // the directory stream's own descriptor
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }
}
