import Model
import Native
@testable import Routing

/// Paths of the files tests read: the package's tenants/ and this target's fixtures.
enum TestFiles {
    /// The package root, found from this file's path (Tests/RoutingTests/TestFiles.swift).
    static let packageRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static let tenants = packageRoot + "/tenants"
    static let broken = packageRoot + "/Tests/RoutingTests/Fixtures/broken"

    /// The fixtures' environment: `${CRM_TOKEN}` is set, nothing else.
    static let environment = ["CRM_TOKEN": "crm-token"]

    static var brokenNames: [String] {
        ((try? FileSystem.listDirectory(broken)) ?? []).map(\.name).filter { $0.hasSuffix(".yaml") }
    }

    static func text(_ path: String) -> String {
        String(decoding: (try? FileSystem.readFile(path)) ?? [], as: UTF8.self)
    }

    /// The base of the broken fixtures, without its mistake: a small valid tenant.
    static var validFixture: String {
        let text = text(broken + "/04-unknown-top-level-key.yaml")
        return text.replacingFirst("pricng:", with: "pricing:").split(separator: "\n").filter { !$0.hasPrefix("#") }
            .joined(separator: "\n") + "\n"
    }

    /// Loads `text` as a tenant file named `file`.
    static func load(_ text: String, file: String = "t.yaml", environment: [String: String] = TestFiles.environment)
        -> Result<TenantSnapshot, ConfigError> {
        do throws(ConfigError) {
            return .success(try TenantConfigLoader(environment: environment).load(bytes: Array(text.utf8), file: file))
        } catch {
            return .failure(error)
        }
    }

    /// `line:col: path: message` for each problem of `text`, or nothing when it loads.
    static func problems(_ text: String, environment: [String: String] = TestFiles.environment) -> [String] {
        guard case .failure(let error) = load(text, environment: environment) else { return [] }
        return error.diagnostics.map { "\($0.location.line):\($0.location.column): " + ($0.path.isEmpty ? "" : "\($0.path): ") + $0.message }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }

    func range(of target: String) -> Range<String.Index>? {
        guard !target.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
