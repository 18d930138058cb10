import Glibc
import Model
import Native

/// A blocking HTTP/1.1 client for tests, on one keep-alive connection.
final class AppTestClient {
    struct Response {
        var status: Int
        var body: String

        var json: JSON? { try? JSONParser.parse(body) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let socket: Socket
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        socket = try Socket.connect(host: "127.0.0.1", port: port)
        socket.setReceiveTimeout(milliseconds: 10_000)
    }

    deinit { socket.close() }

    func get(_ path: String, token: String? = nil) throws -> Response {
        var request = "GET \(path) HTTP/1.1\r\nHost: test\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        try socket.sendAll(Array((request + "\r\n").utf8))
        return try readResponse()
    }

    private func readResponse() throws -> Response {
        while true {
            if let end = headEnd() {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
                    throw Failure(description: "bad status line in \(head)")
                }
                let length = lines.dropFirst().compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingPrefix(" "))
                }.first ?? 0
                while buffer.count < end + 4 + length { try fill() }
                let body = String(decoding: buffer[(end + 4)..<(end + 4 + length)], as: UTF8.self)
                buffer.removeSubrange(0..<(end + 4 + length))
                return Response(status: status, body: body)
            }
            try fill()
        }
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let n = chunk.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Failure(description: "connection closed") }
        buffer.append(contentsOf: chunk[0..<n])
    }
}

/// Runs blocking work on a thread of its own, so the server's async handlers keep the
/// cooperative pool.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        NativeThread.spawn(name: "test-client") {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
    }
}
