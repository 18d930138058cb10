import Model
import Native

/// One SMTP conversation (RFC 5321) on a blocking socket.
struct SMTPSession {
    let socket: Socket
    let outbox: Outbox
    private var buffer: [UInt8] = []
    private var sender: String?
    private var recipients: [String] = []

    static let maxMessageBytes = 10 << 20
    static let hostname = "sandbox.switchboard.local"

    init(socket: Socket, outbox: Outbox) {
        self.socket = socket
        self.outbox = outbox
    }

    mutating func run() {
        socket.setReceiveTimeout(milliseconds: 30_000)
        guard reply("220 \(Self.hostname) ESMTP Switchboard sandbox") else { return }
        while let line = readLine() {
            let upper = line.uppercased()
            let verb = upper.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            let ok: Bool
            switch verb {
            case "EHLO":
                ok = reply("250-\(Self.hostname)\r\n250-SIZE \(Self.maxMessageBytes)\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN")
            case "HELO": ok = reply("250 \(Self.hostname)")
            case "AUTH": ok = authenticate(line)
            case "MAIL":
                guard upper.hasPrefix("MAIL FROM:"), let address = Self.address(in: line) else { ok = reply("501 5.5.4 Syntax: MAIL FROM:<address>"); break }
                sender = address
                recipients = []
                ok = reply("250 2.1.0 Ok")
            case "RCPT":
                guard sender != nil else { ok = reply("503 5.5.1 Error: need MAIL command"); break }
                guard upper.hasPrefix("RCPT TO:"), let address = Self.address(in: line), address.contains("@") else {
                    ok = reply("501 5.1.3 Bad recipient address syntax"); break
                }
                recipients.append(address)
                ok = reply("250 2.1.5 Ok")
            case "DATA":
                guard !recipients.isEmpty else { ok = reply("503 5.5.1 Error: need RCPT command"); break }
                ok = receiveMessage()
            case "RSET":
                sender = nil
                recipients = []
                ok = reply("250 2.0.0 Ok")
            case "NOOP": ok = reply("250 2.0.0 Ok")
            case "VRFY": ok = reply("252 2.0.0 Cannot VRFY user")
            case "STARTTLS": ok = reply("454 4.7.0 TLS not available in the sandbox")
            case "QUIT":
                _ = reply("221 2.0.0 Bye")
                return
            default: ok = reply("502 5.5.2 Error: command not recognized")
            }
            if !ok { return }
        }
    }

    private mutating func authenticate(_ line: String) -> Bool {
        let parts = line.split(separator: " ")
        let mechanism = parts.count > 1 ? parts[1].uppercased() : ""
        switch mechanism {
        case "PLAIN":
            if parts.count < 3 {
                guard reply("334 "), readLine() != nil else { return false }
            }
            return reply("235 2.7.0 Authentication successful")
        case "LOGIN":
            if parts.count < 3 {
                guard reply("334 VXNlcm5hbWU6"), readLine() != nil else { return false }
            }
            guard reply("334 UGFzc3dvcmQ6"), readLine() != nil else { return false }
            return reply("235 2.7.0 Authentication successful")
        default:
            return reply("504 5.5.4 Unrecognized authentication type")
        }
    }

    private mutating func receiveMessage() -> Bool {
        guard reply("354 End data with <CR><LF>.<CR><LF>") else { return false }
        var lines: [String] = []
        var size = 0
        while let line = readLine() {
            if line == "." {
                guard size <= Self.maxMessageBytes else { return reply("552 5.3.4 Message size exceeds fixed limit") }
                let id = SandboxIDs.alphanumeric("", length: 12)
                store(lines.joined(separator: "\r\n"), id: id)
                sender = nil
                recipients = []
                return reply("250 2.0.0 Ok: queued as \(id)")
            }
            // RFC 5321 §4.5.2: a leading period was doubled by the client.
            let text = line.hasPrefix(".") ? String(line.dropFirst()) : line
            size += text.utf8.count + 2
            if size <= Self.maxMessageBytes { lines.append(text) }
        }
        return false
    }

    private func store(_ raw: String, id: String) {
        let message = MailParser(raw)
        outbox.append(Outbox.Entry(kind: "email", direction: "outbound", id: message.header("Message-ID") ?? id, at: SandboxTime.isoNow(),
                                   from: sender ?? "", to: recipients, subject: message.subject, body: message.text, account: nil, raw: raw))
    }

    static func address(in line: String) -> String? {
        guard let open = line.firstIndex(of: "<"), let close = line[open...].firstIndex(of: ">") else { return nil }
        return String(line[line.index(after: open)..<close])
    }

    private func reply(_ text: String) -> Bool {
        (try? socket.sendAll(Array((text + "\r\n").utf8))) != nil
    }

    /// The next line without its CRLF; nil at end of input, on timeout, or for a line over 64 KiB.
    private mutating func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                var end = newline
                if end > 0, buffer[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard buffer.count < 65_536 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let count = (try? chunk.withUnsafeMutableBytes { try socket.receiveBlocking(into: $0) }) ?? 0
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
