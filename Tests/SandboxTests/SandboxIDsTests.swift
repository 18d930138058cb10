import Testing
@testable import Sandbox

struct SandboxIDsTests {
    @Test func alphanumeric_hasThePrefixLengthAndAlphabet() {
        let id = SandboxIDs.alphanumeric("cs_test_", length: 60)
        #expect(id.hasPrefix("cs_test_"))
        #expect(id.count == 68)
        #expect(id.dropFirst(8).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    @Test func hex_andUUID_haveTheirShapes() {
        let sid = SandboxIDs.hex("SM")
        #expect(sid.count == 34 && sid.dropFirst(2).allSatisfy(\.isHexDigit))
        let uuid = SandboxIDs.uuid().split(separator: "-").map(String.init)
        #expect(uuid.map(\.count) == [8, 4, 4, 4, 12])
        #expect(uuid[2].hasPrefix("4") && uuid[3].hasPrefix("a"))
    }

    @Test func ids_differ() {
        let ids = Set((0..<1000).map { _ in SandboxIDs.alphanumeric("", length: 16) })
        #expect(ids.count == 1000)
    }
}
