import Dispatch
import Glibc
import Model
import Native
@testable import HTTP

/// A raw-socket HTTP client for tests: it sends exactly the bytes given and parses what comes
/// back, so tests can send malformed, pipelined or trickled requests.
///
/// Its blocking I/O runs on a thread of its own, never on Swift's cooperative pool, which the
/// server under test needs for its async handlers.
final class TestClient: @unchecked Sendable {
    // @unchecked Sendable: each client is used by one test at a time, through `offPool`.
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        var bodyString: String { String(decoding: body, as: UTF8.self) }
    }

    struct Closed: Error {}

    let socket: Socket
    private var buffer: [UInt8] = []

    init(port: Int, timeoutMillis: Int = 15_000) throws {
        socket = try Socket.connect(host: "127.0.0.1", port: port)
        socket.setReceiveTimeout(milliseconds: timeoutMillis)
    }

    deinit { socket.close() }

    func send(_ text: String) throws { try socket.sendAll(Array(text.utf8)) }
    func send(_ bytes: [UInt8]) throws { try socket.sendAll(bytes) }

    /// Reads one response; `forHead` means the response has no body whatever its headers say.
    func readResponse(forHead: Bool = false) throws -> Response {
        var headEnd: Int?
        while true {
            if let end = findHeadEnd() { headEnd = end; break }
            try fill()
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeSubrange(0..<(headEnd! + 4))
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Closed() }
        let headers = lines.map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: " "))
        }
        var response = Response(status: status, headers: headers, body: [])
        if status == 100 { return response }
        if !forHead, let lengthText = response.header("Content-Length"), let length = Int(lengthText) {
            while buffer.count < length { try fill() }
            response.body = Array(buffer[0..<length])
            buffer.removeSubrange(0..<length)
        }
        return response
    }

    /// Waits up to `waitMillis` for bytes (or end-of-file) to be readable.
    func hasDataAvailable(waitMillis: Int32) -> Bool {
        if !buffer.isEmpty { return true }
        var descriptor = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, waitMillis) > 0
    }

    /// True when the server has closed the connection (reads end-of-file) within the timeout.
    func isClosedByServer() -> Bool {
        do {
            while true { try fill() }
        } catch {
            return error is Closed
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { Glibc.read(socket.fd, $0.baseAddress, $0.count) }
        if n == 0 { throw Closed() }
        if n < 0 { throw SystemError(call: "read", errno: errno, subject: "test client") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4)
        where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

/// Runs blocking work on a fresh thread and awaits its result.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        NativeThread.spawn(name: "test-io") {
            continuation.resume(with: Result { try body() })
        }
    }
}

/// Starts a server on a free port with `configure` applied and the routes from `routes`.
func makeServer(loops: Int = 1, configure: (inout HTTPServer.Configuration) -> Void = { _ in },
                routes: (RouterBuilder) -> Void) throws -> HTTPServer {
    var configuration = HTTPServer.Configuration()
    configuration.port = 0
    configuration.loops = loops
    configure(&configuration)
    let builder = RouterBuilder()
    routes(builder)
    let server = HTTPServer(configuration: configuration, router: builder.build(), metrics: .init())
    try server.start()
    return server
}

/// Routes most server tests use.
func standardRoutes(_ routes: RouterBuilder) {
    routes.add(.get, "/hello", .immediate { _ in .text("hello") })
    routes.post("/echo") { request in
        HTTPResponse(status: .ok, headers: [("Content-Type", "application/octet-stream")], body: request.body)
    }
    routes.get("/sleep/{ms}") { request in
        let ms = UInt64(request.parameters["ms"] ?? "0") ?? 0
        try await Task.sleep(nanoseconds: ms * 1_000_000)
        return .text("slept \(ms)")
    }
    routes.add(.get, "/bigsync/{kib}", .immediate { request in
        let kib = Int(request.parameters["kib"] ?? "1") ?? 1
        return HTTPResponse(status: .ok, body: [UInt8](repeating: UInt8(ascii: "y"), count: kib * 1024))
    })
    routes.get("/big/{kib}") { request async in
        let kib = Int(request.parameters["kib"] ?? "1") ?? 1
        return HTTPResponse(status: .ok, body: [UInt8](repeating: UInt8(ascii: "x"), count: kib * 1024))
    }
}

func stop(_ server: HTTPServer) async throws {
    server.shutdown()
    try await offPool { server.waitUntilStopped() }
}
