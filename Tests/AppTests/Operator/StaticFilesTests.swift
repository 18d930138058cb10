import Glibc
import HTTP
import Native
import Testing
@testable import App

/// The dashboard's static files: what is read, what is served, and the paths that are refused.
struct StaticFilesTests {
    /// A folder with index.html, assets/app.js, a dot file, and symbolic links inside and outside it.
    static func makeFolder() throws -> (root: String, outside: String) {
        let root = try FileSystem.makeTemporaryDirectory(prefix: "public")
        let outside = try FileSystem.makeTemporaryDirectory(prefix: "secret")
        mkdir(root + "/assets", 0o755)
        try FileSystem.writeFileAtomically(root + "/index.html", Array("<!doctype html><title>x</title>".utf8))
        try FileSystem.writeFileAtomically(root + "/assets/app.js", Array("console.log(1)".utf8))
        try FileSystem.writeFileAtomically(root + "/assets/.env", Array("SECRET=1".utf8))
        try FileSystem.writeFileAtomically(outside + "/passwd", Array("root:x:0:0".utf8))
        symlink(outside + "/passwd", root + "/assets/passwd")
        symlink(outside, root + "/assets/elsewhere")
        symlink(root + "/assets/app.js", root + "/assets/alias.js")
        return (root, outside)
    }

    static func request(_ target: String, headers: [(String, String)] = []) -> HTTPRequest {
        var request = HTTPRequest(method: .get, target: target)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return request
    }

    @Test func load_keepsFilesInside_skipsDotFilesAndLinksLeadingOutside() throws {
        let (root, outside) = try Self.makeFolder()
        defer { FileSystem.removeTree(root); FileSystem.removeTree(outside) }
        let files = try StaticFiles.load(root: root)
        #expect(Set(files.files.keys) == ["index.html", "assets/app.js", "assets/alias.js"])
        #expect(files.files["index.html"]?.contentType == "text/html; charset=utf-8")
        #expect(files.files["assets/app.js"]?.contentType == "text/javascript; charset=utf-8")
    }

    @Test func response_hasTypeCachingAndSecurityHeaders_andAnswers304ToItsETag() throws {
        let (root, outside) = try Self.makeFolder()
        defer { FileSystem.removeTree(root); FileSystem.removeTree(outside) }
        let files = try StaticFiles.load(root: root)
        let page = try files.response(for: "index.html", request: Self.request("/"))
        #expect(page.status == .ok)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("Cache-Control") == "no-cache")
        #expect(page.header("X-Content-Type-Options") == "nosniff")
        #expect(page.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        let etag = try #require(page.header("ETag"))
        let again = try files.response(for: "index.html", request: Self.request("/", headers: [("If-None-Match", etag)]))
        #expect(again.status == .notModified)
        #expect(again.body.isEmpty)
        let changed = try files.response(for: "index.html", request: Self.request("/", headers: [("If-None-Match", "\"other\"")]))
        #expect(changed.status == .ok)
        #expect(throws: HTTPError.self) { try files.response(for: "assets/missing.js", request: Self.request("/assets/missing.js")) }
    }

    @Test func isSafe_refusesTraversalAbsoluteEmptyAndControlPaths() {
        for path in ["app.js", "views/list.js", "a.b/c-d_e.css"] { #expect(StaticFiles.isSafe(path), "\(path)") }
        for path in ["", "..", "../etc/passwd", "views/../../x", "./app.js", "a//b", "/etc/passwd", "a\\..\\b", "a\u{0}b", "a/"] {
            #expect(!StaticFiles.isSafe(path), "\(path.debugDescription)")
        }
    }

    @Test func missingFolder_isAnErrorNamingIt() {
        #expect(throws: SystemError.self) { try StaticFiles.load(root: "/nonexistent/public") }
    }
}
