import HTTP
import Model
import Native

/// The operator dashboard's static files (`public/`), read once at start and served from memory
/// at `/` and `/assets/...`.
///
/// Only files found under the folder when it was read can be served, so no request path reaches
/// the file system: `..` segments (plain or percent-encoded) are refused, and a symbolic link
/// whose target lies outside the folder is skipped when reading it.
struct StaticFiles: Sendable {
    struct File: Sendable {
        let body: [UInt8]
        let contentType: String
        let etag: String
    }

    /// By path relative to the folder (`index.html`, `assets/app.js`).
    let files: [String: File]
    let root: String

    static let maxTotalBytes = 16 << 20
    static let maxDepth = 8

    /// Reads every file under `root` (dot files and links leading outside it are skipped).
    ///
    /// - Throws: `SystemError` when the folder cannot be read, or holds more than 16 MiB.
    static func load(root: String) throws(SystemError) -> StaticFiles {
        guard let base = FileSystem.resolvedPath(root), FileSystem.kind(of: base) == .directory else {
            throw SystemError(call: "reading the dashboard's files (pass --public DIR)", errno: 2, subject: root)
        }
        var files: [String: File] = [:]
        var total = 0
        func walk(_ relative: String, depth: Int) throws(SystemError) {
            guard depth <= maxDepth else { return }
            let folder = relative.isEmpty ? base : base + "/" + relative
            for entry in try FileSystem.listDirectory(folder) where !entry.name.hasPrefix(".") {
                let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
                guard let resolved = FileSystem.resolvedPath(base + "/" + path), resolved.hasPrefix(base + "/") else { continue }
                switch entry.kind {
                case .directory?:
                    try walk(path, depth: depth + 1)
                case .file?:
                    let body = try FileSystem.readFile(resolved, maxBytes: maxTotalBytes)
                    total += body.count
                    guard total <= maxTotalBytes else {
                        throw SystemError(call: "reading the dashboard's files (more than 16 MiB)", errno: 27, subject: root)
                    }
                    files[path] = File(body: body, contentType: contentType(of: path),
                                       etag: "\"" + String(Hex.encode(Crypto.sha256(body)).prefix(20)) + "\"")
                default:
                    continue
                }
            }
        }
        try walk("", depth: 0)
        return StaticFiles(files: files, root: root)
    }

    func register(on routes: RouterBuilder) {
        let files = self
        routes.add(.get, "/", .immediate { request in try files.response(for: "index.html", request: request) })
        routes.add(.get, "/assets/{path...}", .immediate { request in
            let path = request.parameters["path"] ?? ""
            guard Self.isSafe(path) else {
                throw HTTPError(.badRequest, code: "invalid_path", message: "the path \(Self.printable(path)) is not a file name under /assets")
            }
            return try files.response(for: "assets/" + path, request: request)
        })
    }

    func response(for path: String, request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        guard let file = files[path] else {
            throw HTTPError(.notFound, code: "not_found", message: "no file /\(Self.printable(path)) in the dashboard (\(root))")
        }
        var headers: [(name: String, value: String)] = [
            ("ETag", file.etag),
            // Files have no content hash in their names: revalidate every time (a 304 is cheap).
            ("Cache-Control", "no-cache"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ]
        if path.hasSuffix(".html") {
            headers.append(("Content-Security-Policy", Self.contentSecurityPolicy))
            headers.append(("X-Frame-Options", "DENY"))
        }
        if let tags = request.headers["If-None-Match"], tags.split(separator: ",").contains(where: {
            $0.trimmingASCIISpaces == file.etag || $0.trimmingASCIISpaces == "*"
        }) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        headers.insert(("Content-Type", file.contentType), at: 0)
        return HTTPResponse(status: .ok, headers: headers, body: file.body)
    }

    /// Everything from this server, nothing inline, no framing: the dashboard needs no more.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// A relative file path with no empty, `.` or `..` segment, no backslash and no control byte.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), path.utf8.count <= 512 else { return false }
        guard !path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    static func contentType(of path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json", "map": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "txt": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    /// `path` for an error message: at most 100 characters, control bytes dropped.
    static func printable(_ path: String) -> String {
        String(String(decoding: path.utf8.filter { $0 >= 0x20 && $0 != 0x7F }, as: UTF8.self).prefix(100))
    }
}

extension Substring {
    var trimmingASCIISpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
