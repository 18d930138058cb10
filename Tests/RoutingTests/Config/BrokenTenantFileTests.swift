import Model
import Testing
@testable import Routing

/// Each file in Fixtures/broken/ is the same small tenant with one mistake; the `# expect:` lines
/// at its end are exactly the problems the loader must report (line:col: path: message).
struct BrokenTenantFileTests {
    @Test(arguments: TestFiles.brokenNames)
    func brokenFile_reportsExactlyItsMistake(_ name: String) {
        let text = TestFiles.text(TestFiles.broken + "/" + name)
        let expected = text.split(separator: "\n").filter { $0.hasPrefix("# expect: ") }.map { String($0.dropFirst(10)) }
        #expect(!expected.isEmpty, "\(name) has no # expect: lines")
        #expect(TestFiles.problems(text) == expected, "\(name)")
    }

    @Test func suite_coversAtLeast25DistinctMistakes() {
        let names = TestFiles.brokenNames
        #expect(names.count >= 25)
        let messages = names.map { name in
            TestFiles.text(TestFiles.broken + "/" + name).split(separator: "\n").first { $0.hasPrefix("# expect: ") } ?? ""
        }
        #expect(Set(messages).count == names.count)
    }

    @Test func fixtureBase_isValid() {
        #expect(TestFiles.problems(TestFiles.validFixture) == [])
    }

    @Test func fileWithManyMistakes_reportsEveryOne_inFileOrder() {
        var text = TestFiles.validFixture
        text = text.replacingFirst("America/Chicago", with: "Mars/Olympus")
        text = text.replacingFirst("price: 80.00", with: "price: free")
        text = text.replacingFirst("next: tell_ops", with: "next: tell_opps")
        text = text.replacingFirst("{{from.phone}}", with: "{{from.fone}}")
        let problems = TestFiles.problems(text)
        #expect(problems == [
            "4:14: tenant.time_zone: unknown time zone \"Mars/Olympus\"; use an IANA name such as America/Chicago or Europe/London",
            "47:12: services.leak.price: expected an amount like 89.00, got the string \"free\"",
            "60:31: templates.ops.text: no step provides {{from.fone}} (did you mean \"from.phone\"?)",
            "76:15: flows.main.states.greet.next: transition to unknown state \"tell_opps\" (did you mean \"tell_ops\"?)",
        ])
    }
}
