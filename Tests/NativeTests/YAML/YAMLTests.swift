import Model
import Testing
@testable import Native

struct YAMLTests {
    private func parse(_ text: String, limits: YAML.Limits = YAML.Limits()) throws -> YAMLNode {
        try YAML.parse(text, file: "t.yaml", limits: limits)
    }

    private func error(_ text: String, limits: YAML.Limits = YAML.Limits()) -> YAMLError? {
        do {
            _ = try YAML.parse(text, file: "t.yaml", limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func mapping_keepsOrderAndLocations() throws {
        let root = try parse("tenant:\n  id: acme\n  name: Acme Plumbing\nlist:\n  - a\n  - b\n")
        let tenant = try #require(root["tenant"])
        #expect(tenant.mapping?.map { $0.key.scalar?.text } == ["id", "name"])
        let name = try #require(tenant["name"])
        #expect(name.scalar?.text == "Acme Plumbing")
        #expect(name.location == SourceLocation(file: "t.yaml", line: 3, column: 9))
        let key = try #require(tenant.mapping?[1].key)
        #expect(key.location == SourceLocation(file: "t.yaml", line: 3, column: 3))
        let second = try #require(root["list"]?.sequence?[1])
        #expect(second.location.line == 6 && second.location.column == 5)
    }

    @Test func scalars_quotedNumberIsAString_plainNumberIsANumber() throws {
        let root = try parse("a: 8\nb: \"8\"\nc: '8'\nd: !!str 8\ne: 89.00\nf: yes\ng: ~\nh:\ni: true\nj: 08:00-18:00\nk: 0x1F\nl: 1e3\n")
        #expect(root["a"]?.value == .int(8))
        #expect(root["b"]?.value == .string("8"))
        #expect(root["c"]?.value == .string("8"))
        #expect(root["d"]?.value == .string("8"))
        #expect(root["e"]?.value == .float(89))
        #expect(root["e"]?.scalar?.text == "89.00")
        #expect(root["f"]?.value == .string("yes"))
        #expect(root["g"]?.value == .null)
        #expect(root["h"]?.value == .null)
        #expect(root["i"]?.value == .bool(true))
        #expect(root["j"]?.value == .string("08:00-18:00"))
        #expect(root["k"]?.value == .int(31))
        #expect(root["l"]?.value == .float(1000))
        #expect(root["b"]?.scalar?.style == .doubleQuoted)
        #expect(root["b"]?.kindDescription == "the string \"8\"")
        #expect(root["a"]?.kindDescription == "the number 8")
    }

    @Test func blockScalar_locationIsTheIndicator() throws {
        let root = try parse("text: |\n  Hello {{name}}\n  bye\n")
        let text = try #require(root["text"])
        #expect(text.scalar?.style == .literal)
        #expect(text.scalar?.text == "Hello {{name}}\nbye\n")
        #expect(text.location.line == 1 && text.location.column == 7)
    }

    @Test func duplicateKey_isRejectedAtTheSecondKey() {
        let failure = error("tenant:\n  id: a\n  name: b\n  id: c\n")
        #expect(failure?.location == SourceLocation(file: "t.yaml", line: 4, column: 3))
        #expect(failure?.message == "duplicate key \"id\" (first defined at 2:3); remove one of them")
    }

    @Test func duplicateKey_inAWideMapping() throws {
        // Past the keys that are scanned, duplicates are found through the index: before, at and
        // after the point where it is built.
        for (count, duplicate) in [(16, 15), (17, 0), (17, 16), (3000, 20), (3000, 2999)] {
            let keys = (0..<count).map { "  k\($0): \($0)\n" }.joined()
            let root = try parse("wide:\n" + keys)
            #expect(root["wide"]?.mapping?.count == count)
            let failure = error("wide:\n" + keys + "  k\(duplicate): again\n")
            #expect(failure?.location == SourceLocation(file: "t.yaml", line: count + 2, column: 3))
            #expect(failure?.message == "duplicate key \"k\(duplicate)\" (first defined at \(duplicate + 2):3); remove one of them")
        }
    }

    @Test func aliases_areResolved_andMergeKeysApplied() throws {
        let root = try parse("""
            x-policy: &standard
              notice: 24h
              refund: 100%
            a:
              policy: *standard
            b:
              <<: *standard
              refund: 50%
            """)
        #expect(root["a"]?["policy"]?["notice"]?.scalar?.text == "24h")
        let b = try #require(root["b"])
        #expect(b["refund"]?.scalar?.text == "50%")
        #expect(b["notice"]?.scalar?.text == "24h")
        #expect(b.mapping?.count == 2)
    }

    @Test func unknownAlias_isRejected() {
        #expect(error("a: *nothing\n")?.message == "unknown alias *nothing: define the anchor &nothing before using it")
    }

    @Test func recursiveAlias_isRejected() {
        let failure = error("a: &loop\n  - *loop\n")
        #expect(failure?.message == "alias *loop refers to the collection that contains it; recursive aliases are not allowed")
        #expect(failure?.location.line == 2)
    }

    @Test func billionLaughs_isBoundedBeforeExpanding() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let failure = error(text)
        #expect(failure?.message.hasPrefix("aliases expand this document past 250000 nodes") == true)
    }

    @Test func syntaxError_pointsAtTheProblem() {
        let failure = error("tenant:\n  id: acme\n name: bad\n")
        #expect(failure != nil)
        #expect(failure?.location.line == 3)
        let tab = error("a:\n\tb: 1\n")
        #expect(tab?.location == SourceLocation(file: "t.yaml", line: 2, column: 1))
        #expect(tab?.message.hasPrefix("found character that cannot start any token") == true)
    }

    @Test func secondDocument_isRejected() {
        let failure = error("a: 1\n---\nb: 2\n")
        #expect(failure?.location.line == 2)
        #expect(failure?.message.hasPrefix("a second YAML document starts here") == true)
    }

    @Test func emptyText_isNull() throws {
        #expect(try parse("").value == .null)
        #expect(try parse("# only a comment\n").value == .null)
    }

    @Test func complexKey_isRejected() {
        #expect(error("? [a, b]\n: 1\n")?.message.hasPrefix("a mapping key must be a plain word or string") == true)
    }

    @Test func depthLimit_isEnforced() {
        var limits = YAML.Limits()
        limits.maxDepth = 3
        #expect(error("a: {b: {c: {d: 1}}}\n", limits: limits)?.message == "nesting deeper than 3 levels")
    }

    @Test func invalidUTF8_isReported() {
        let failure = try? YAML.parse([0x61, 0x3A, 0x20, 0xFF, 0x0A], file: "t.yaml")
        #expect(failure == nil)
    }
}
