import Testing
@testable import Model

struct JSONParserTests {
    @Test func parse_objectsKeepKeyOrder_andTypes() throws {
        let json = try JSONParser.parse(#"{"b": 1, "a": [true, null, -2.5e3, "x"], "c": {"d": 9007199254740993}}"#)
        #expect(json.objectValue?.keys == ["b", "a", "c"])
        #expect(json["b"] == .int(1))
        #expect(json["a"] == [true, nil, .double(-2500), "x"])
        #expect(json.value(at: "c.d")?.intValue == 9_007_199_254_740_993)  // beyond Double's exact range
        #expect(json.value(at: "a.3") == "x")
    }

    @Test func parse_stringEscapes_includingSurrogatePairs() throws {
        let json = try JSONParser.parse(#"["a\"b\\c\/d\n\t", "\u00e9\u20AC", "\ud83d\ude00"]"#)
        #expect(json == ["a\"b\\c/d\n\t", "é€", "😀"])
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "tru", "nul", "\"abc", "\"\\x\"",
        "\"\\ud800\"", "\"\\udc00\"", "\"a\u{01}b\"", "{\"a\" 1}", "{a:1}", "[1 2]", "1 2", "// x\n1", "NaN", "1e999",
    ])
    func parse_rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(text) }
    }

    @Test func parse_error_saysWhereAndWhat() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": [1,\n  2,]\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 5)
            #expect(error.description == "invalid JSON at line 3, column 5: unexpected character ']', expected a value")
        }
    }

    @Test func parse_boundsNestingDepth() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(throws: Never.self) { try JSONParser.parse(fine) }
    }

    @Test func parse_rejectsInvalidUTF8() {
        #expect(throws: JSONError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func serialize_roundTrips_andEscapesForHTML() throws {
        let value: JSON = ["text": "<b>\"hi\"</b>\n\u{1}", "n": -42, "f": 1.5, "list": [false, nil], "empty": [:]]
        let text = value.serialized()
        #expect(text == #"{"text":"\u003cb\u003e\"hi\"\u003c/b\u003e\n\u0001","n":-42,"f":1.5,"list":[false,null],"empty":{}}"#)
        #expect(try JSONParser.parse(text) == value)
    }

    @Test func serialize_integralDoubles_withoutFraction() {
        #expect(JSON.double(3).serialized() == "3")
        #expect(JSON.int(Int64.min).serialized() == "-9223372036854775808")
    }
}
