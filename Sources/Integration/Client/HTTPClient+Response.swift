import Model
import Native

extension HTTPClient {
    /// A response as received.
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
        private let raw: CurlResponse

        init(_ raw: CurlResponse) {
            status = raw.status
            body = raw.body
            var head = raw
            head.body = []
            self.raw = head
        }

        /// Builds a response in memory (tests, recorded answers).
        public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
            var head = "HTTP/1.1 \(status)\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            self.init(CurlResponse(status: status, head: Array(head.utf8), body: body))
        }

        public func header(_ name: String) -> String? { raw.header(name) }

        public var headers: [(name: String, value: String)] { raw.headers }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as JSON, or nil when it is not JSON.
        public var json: JSON? { try? JSONParser.parse(body) }

        public var isSuccess: Bool { (200..<300).contains(status) }

        /// New connections opened for this exchange (0 when a kept-alive one was reused).
        public var newConnections: Int { raw.newConnections }
    }
}
