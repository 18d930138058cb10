import Glibc
import Model
import Testing
@testable import Native

struct LoggerTests {
    @Test func describe_usesDescription_orOnlyTheTypeName() {
        struct Plain: Error { let token = "sk_live_secret" }
        struct Described: Error, CustomStringConvertible { var description: String { "provider refused the key" } }
        #expect(Logger.describe(Plain()) == "Plain")
        #expect(Logger.describe(Described()) == "provider refused the key")
    }

    @Test func log_writesOneJSONObjectPerLine() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        // A logger of our own on the pipe: the shared destination stays stderr for other tests.
        Logger(label: "test").write(level: .warning, message: "disk \"full\"", fields: ["free_bytes": 12], to: fds[1])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fds[0], &buffer, buffer.count)
        let line = String(decoding: buffer[0..<n], as: UTF8.self)
        #expect(line.hasSuffix("}\n"))
        let json = try JSONParser.parse(line.dropLast().utf8)
        #expect(json["level"] == "warning")
        #expect(json["msg"] == "disk \"full\"")
        #expect(json["free_bytes"] == 12)
        #expect(json["logger"] == "test")
    }
}
