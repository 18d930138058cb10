import Model
import Native
import Routing
import Testing
@testable import App

struct KeygenCommandTests {
    @Test func keys_areLongRandomAndURLSafe() {
        let keys = (0..<50).map { _ in KeygenCommand.makeKey() }
        #expect(Set(keys).count == keys.count)
        for key in keys {
            #expect(key.hasPrefix("sb_") && key.count == 46, "\(key)")
            #expect(key.dropFirst(3).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "\(key)")
        }
    }

    @Test func hashLine_isTheSHA256TheTenantFileExpects() throws {
        let key = "acme-dispatch-key-2026"
        // The example tenant's operator key hash.
        #expect(KeygenCommand.hashLine(for: key) == "sha256:f6e31bb4a82c510453c4e1a1f4147e88e1ebf4924e816561e3a33e62bf1bdd41")
        let printed = KeygenCommand.render(key: key, name: "dispatch", role: "operator")
        #expect(printed.contains("under access.operator_keys:"))
        #expect(printed.contains("    - name: dispatch\n      hash: sha256:f6e31bb4"))
    }

    @Test func command_exitsZero_andRefusesBadOptions() {
        #expect(SwitchboardCommand.main(["keygen", "--help"], environment: [:]) == 0)
        #expect(SwitchboardCommand.main(["keygen", "--role", "admin"], environment: [:]) == 2)
        #expect(SwitchboardCommand.main(["keygen", "--role", "viewer"], environment: [:]) == 0)
        #expect(SwitchboardCommand.main(["keygen", "--name", "has space"], environment: [:]) == 2)
    }
}
