/// How a route produces its response.
public enum HTTPHandler: Sendable {
    /// Runs on the event loop that read the request: for answers computed in microseconds from
    /// memory (health, metrics). It must never block or wait.
    case immediate(@Sendable (HTTPRequest) throws -> HTTPResponse)
    /// Runs as a Swift task; the loop goes on serving other connections meanwhile.
    case async(@Sendable (HTTPRequest) async throws -> HTTPResponse)
}

/// One registered route: a path pattern and a handler per method.
public final class RouteEntry: Sendable {
    /// Dense index, used by the metrics tables.
    public let index: Int
    public let pattern: String
    let handlers: [HTTPMethod: HTTPHandler]
    /// The `Allow` header value for 405 answers.
    let allow: String

    init(index: Int, pattern: String, handlers: [HTTPMethod: HTTPHandler]) {
        self.index = index
        self.pattern = pattern
        self.handlers = handlers
        var methods = Set(handlers.keys.map(\.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        allow = methods.sorted().joined(separator: ", ")
    }

    /// The methods with a handler (HEAD is implied by GET), for route listings and tests that
    /// must cover every endpoint.
    public var methods: [HTTPMethod] { handlers.keys.sorted { $0.rawValue < $1.rawValue } }

    /// The handler for `method`; HEAD falls back to GET (the body is dropped when writing).
    func handler(for method: HTTPMethod) -> HTTPHandler? {
        if let handler = handlers[method] { return handler }
        if method == .head { return handlers[.get] }
        return nil
    }
}

/// Builds a `Router`. Not thread-safe: configure it on one thread, then call `build()`.
public final class RouterBuilder {
    private var entries: [(pattern: String, handlers: [HTTPMethod: HTTPHandler])] = []

    public init() {}

    /// Registers `handler` for `method` on `pattern`, where `{name}` matches one path segment and a
    /// final `{name...}` matches the rest of the path.
    public func add(_ method: HTTPMethod, _ pattern: String, _ handler: HTTPHandler) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) must start with /")
        if let index = entries.firstIndex(where: { $0.pattern == pattern }) {
            precondition(entries[index].handlers[method] == nil, "route \(method) \(pattern) registered twice")
            entries[index].handlers[method] = handler
        } else {
            entries.append((pattern, [method: handler]))
        }
    }

    // The conveniences below register async handlers only: an immediate handler runs on the event
    // loop and must be chosen on purpose, with `add(_:_:.immediate { ... })`.

    public func get(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        add(.get, pattern, .async(handler))
    }

    public func post(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        add(.post, pattern, .async(handler))
    }

    public func build() -> Router {
        let root = MutableNode()
        var built: [RouteEntry] = []
        for (index, entry) in entries.enumerated() {
            let route = RouteEntry(index: index, pattern: entry.pattern, handlers: entry.handlers)
            built.append(route)
            var node = root
            for segment in entry.pattern.split(separator: "/") {
                if segment.hasPrefix("{") && segment.hasSuffix("...}") {
                    node.catchAll = (String(segment.dropFirst().dropLast(4)), route)
                    node = MutableNode()  // nothing may follow a catch-all
                    break
                } else if segment.hasPrefix("{") && segment.hasSuffix("}") {
                    let name = String(segment.dropFirst().dropLast())
                    if let existing = node.parameter {
                        precondition(existing.name == name, "conflicting parameter names at \(entry.pattern)")
                        node = existing.node
                    } else {
                        let child = MutableNode()
                        node.parameter = (name, child)
                        node = child
                    }
                } else {
                    let key = String(segment)
                    if let child = node.literals[key] {
                        node = child
                    } else {
                        let child = MutableNode()
                        node.literals[key] = child
                        node = child
                    }
                }
            }
            if !(entry.pattern.hasSuffix("...}")) { node.route = route }
        }
        return Router(root: root.freeze(), routes: built)
    }
}

private final class MutableNode {
    var literals: [String: MutableNode] = [:]
    var parameter: (name: String, node: MutableNode)?
    var catchAll: (name: String, route: RouteEntry)?
    var route: RouteEntry?

    func freeze() -> RouterNode {
        RouterNode(literals: literals.mapValues { $0.freeze() },
                   parameter: parameter.map { ($0.name, $0.node.freeze()) },
                   catchAll: catchAll, route: route)
    }
}

final class RouterNode: Sendable {
    let literals: [String: RouterNode]
    let parameter: (name: String, node: RouterNode)?
    let catchAll: (name: String, route: RouteEntry)?
    let route: RouteEntry?

    init(literals: [String: RouterNode], parameter: (name: String, node: RouterNode)?,
         catchAll: (name: String, route: RouteEntry)?, route: RouteEntry?) {
        self.literals = literals
        self.parameter = parameter
        self.catchAll = catchAll
        self.route = route
    }
}

/// Matches paths to routes. Immutable and shared by every event loop.
public struct Router: Sendable {
    public enum Resolution: Sendable {
        case matched(RouteEntry, HTTPHandler, parameters: [String: String])
        case notFound
        case methodNotAllowed(allow: String)
        /// A path segment had a malformed percent-escape.
        case badPath
    }

    let root: RouterNode
    public let routes: [RouteEntry]

    public func resolve(_ method: HTTPMethod, path: Substring) -> Resolution {
        var parameters: [String: String] = [:]
        switch match(path: path, parameters: &parameters) {
        case .none: return .notFound
        case .badEscape: return .badPath
        case .route(let entry):
            guard let handler = entry.handler(for: method) else { return .methodNotAllowed(allow: entry.allow) }
            return .matched(entry, handler, parameters: parameters)
        }
    }

    private enum Match {
        case route(RouteEntry)
        case none
        case badEscape
    }

    private func match(path: Substring, parameters: inout [String: String]) -> Match {
        var node = root
        var rest = path.drop(while: { $0 == "/" })
        while !rest.isEmpty {
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let segment = rest[..<slash]
            let remainder = slash < rest.endIndex ? rest[rest.index(after: slash)...] : rest[rest.endIndex...]
            if let child = node.literals[String(segment)] {
                node = child
            } else if let parameter = node.parameter {
                guard let value = PercentDecoding.decode(segment) else { return .badEscape }
                guard !value.isEmpty else { return .none }
                parameters[parameter.name] = value
                node = parameter.node
            } else if let catchAll = node.catchAll {
                guard let value = PercentDecoding.decode(rest) else { return .badEscape }
                parameters[catchAll.name] = value
                return .route(catchAll.route)
            } else {
                return .none
            }
            rest = remainder
        }
        if let route = node.route { return .route(route) }
        if let catchAll = node.catchAll {
            parameters[catchAll.name] = ""
            return .route(catchAll.route)
        }
        return .none
    }
}
