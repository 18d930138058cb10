import Glibc
import Model
import Native
import Sandbox
import Testing

/// The sandbox's SMTP server spoken to by hand: replies, dot-unstuffing, the outbox.
@Suite(.timeLimit(.minutes(1)))
struct SMTPServerTests {
    @Test func conversation_deliversToTheOutbox() async throws {
        let sandbox = try SandboxServer(configuration: .init())
        try sandbox.start()
        let port = Int(sandbox.smtpURL!.split(separator: ":").last!)!
        let replies = try await offPool { () -> [String] in
            let socket = try Socket.connect(host: "127.0.0.1", port: port)
            defer { socket.close() }
            socket.setReceiveTimeout(milliseconds: 5000)
            var replies: [String] = []
            func read() throws -> String {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = try buffer.withUnsafeMutableBytes { try socket.receiveBlocking(into: $0) }
                return String(decoding: buffer[..<count], as: UTF8.self)
            }
            replies.append(try read())
            for line in ["EHLO test", "MAIL FROM:<a@x.example>", "RCPT TO:<b@y.example>", "RCPT TO:<c@y.example>", "DATA"] {
                try socket.sendAll(Array("\(line)\r\n".utf8))
                replies.append(try read())
            }
            try socket.sendAll(Array("Subject: Hi\r\n\r\nline one\r\n..dotted\r\n.\r\n".utf8))
            replies.append(try read())
            try socket.sendAll(Array("STARTTLS\r\nQUIT\r\n".utf8))
            replies.append(try read())
            return replies
        }
        #expect(replies[0].hasPrefix("220 "))
        #expect(replies[1].contains("250 AUTH PLAIN LOGIN"))
        #expect(!replies[1].contains("STARTTLS"))
        #expect(replies[5].hasPrefix("354 "))
        #expect(replies[6].hasPrefix("250 2.0.0 Ok: queued as "))
        #expect(replies[7].hasPrefix("454 "))
        let mail = try #require(sandbox.outbox(kind: "email").first)
        #expect(mail["to"] == ["b@y.example", "c@y.example"])
        #expect(mail["subject"]?.stringValue == "Hi")
        #expect(mail["body"]?.stringValue == "line one\n.dotted")
        sandbox.shutdown()
        try await offPool { sandbox.waitUntilStopped() }
    }
}
