import Glibc
import Testing
@testable import Native

struct SocketTests {
    @Test func listener_onPortZero_reportsItsPort_andAccepts() throws {
        let listener = try Socket.makeListener(host: "127.0.0.1", port: 0, reusePort: false)
        defer { listener.close() }
        let port = try listener.localPort()
        #expect(port > 0)
        let client = try Socket.connect(host: "127.0.0.1", port: port)
        defer { client.close() }
        var accepted: Socket?
        for _ in 0..<100 {
            if case .processed(let socket) = try listener.accept() { accepted = socket; break }
            usleep(1000)
        }
        let server = try #require(accepted)
        defer { server.close() }
        try client.sendAll(Array("ping".utf8))
        var buffer = [UInt8](repeating: 0, count: 16)
        var received = 0
        for _ in 0..<100 where received == 0 {
            if case .processed(let n) = try buffer.withUnsafeMutableBytes({ try server.receive(into: $0) }) { received = n }
            usleep(1000)
        }
        #expect(String(decoding: buffer[0..<received], as: UTF8.self) == "ping")
    }

    @Test func accept_withNothingPending_wouldBlock() throws {
        let listener = try Socket.makeListener(host: "127.0.0.1", port: 0, reusePort: false)
        defer { listener.close() }
        guard case .wouldBlock = try listener.accept() else { Issue.record("expected would-block"); return }
    }

    @Test func bind_toAPortInUse_failsNamingTheAddress() throws {
        let first = try Socket.makeListener(host: "127.0.0.1", port: 0, reusePort: false)
        defer { first.close() }
        let port = try first.localPort()
        do {
            _ = try Socket.makeListener(host: "127.0.0.1", port: port, reusePort: false)
            Issue.record("expected EADDRINUSE")
        } catch {
            #expect(error.errno == EADDRINUSE)
            #expect(error.description.contains("127.0.0.1:\(port)"))
        }
    }

    @Test func resolve_badHost_failsClearly() {
        #expect(throws: SystemError.self) { try Socket.makeListener(host: "no.such.host.invalid", port: 0, reusePort: false) }
    }
}
