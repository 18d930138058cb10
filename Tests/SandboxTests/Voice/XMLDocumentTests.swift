import Testing
@testable import Sandbox

/// The sandbox's XML parser accepts well-formed documents only, and says where one is not.
struct XMLDocumentTests {
    private func parse(_ text: String) throws(XMLError) -> XMLElement { try XMLDocument.parse(Array(text.utf8)) }

    @Test func aTwiMLDocument_parsesIntoElementsAttributesAndText() throws {
        let root = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment --><Response>
              <Gather input='speech' action="https://x.example/a?turn=2&amp;h=us">
                <Say voice="Polly.Joanna">Fish &amp; chips &lt;3 &#233;&#x1F4A7; <![CDATA[<raw> & ]]></Say>
              </Gather>
              <Hangup/>
            </Response>

            """)
        #expect(root.name == "Response")
        #expect(root.elements.map(\.name) == ["Gather", "Hangup"])
        let gather = root.elements[0]
        #expect(gather.attributes == ["input": "speech", "action": "https://x.example/a?turn=2&h=us"])
        #expect(gather.elements[0].text == "Fish & chips <3 é💧 <raw> & ")
        #expect(root.elements[1].content.isEmpty)
    }

    @Test(arguments: [
        ("", "line 1, column 1: the document has no root element"),
        ("<Response>", "line 1, column 11: <Response> is not closed"),
        ("<Response></Respons>", "line 1, column 11: </Respons> closes <Response>"),
        ("<Response><Say>a</Response>", "line 1, column 17: </Response> closes <Say>"),
        ("<Response/><Response/>", "line 1, column 12: only one root element is allowed; found more after </Response>"),
        ("<Response a=1/>", "line 1, column 13: attribute values must be in quotes"),
        ("<Response a=\"1\" a=\"2\"/>", "line 1, column 22: attribute a appears twice on <Response>"),
        ("<Response a=\"1\"b=\"2\"/>", "line 1, column 16: expected a space, > or /> after <Response … a=…"),
        ("<Response a=\"<\"/>", "line 1, column 14: \"<\" is not allowed in an attribute value"),
        ("<Response>Fish & chips</Response>", "line 1, column 16: \"&\" must start a reference such as &amp; (escape a literal & as &amp;)"),
        ("<Response>&nbsp;</Response>", "line 1, column 11: unknown entity &nbsp;"),
        ("<Response>&#0;</Response>", "line 1, column 11: &#0; is not a legal XML character"),
        ("<Response>\u{1}</Response>", "line 1, column 11: character U+0001 is not allowed in XML"),
        ("<Response>a ]]> b</Response>", "line 1, column 13: \"]]>\" is not allowed in text"),
        ("<!DOCTYPE x [<!ENTITY a \"b\">]><Response/>", "line 1, column 1: a document type declaration (DTD) is not allowed"),
        ("\n<?xml version=\"1.0\"?><Response/>", "line 2, column 1: the XML declaration is only allowed at the very start"),
        ("<?xml version=\"1.1\"?><Response/>", "line 1, column 20: unsupported XML version \"1.1\"; use 1.0"),
        ("<?xml version=\"1.0\" encoding=\"latin1\"?><Response/>", "line 1, column 38: the declared encoding \"latin1\" is not UTF-8"),
        ("<Response><!-- a -- b --></Response>", "line 1, column 18: \"--\" is not allowed inside a comment"),
        ("<1Response/>", "line 1, column 2: expected a name, found \"1\""),
        ("<Response>\n  <Say>unclosed\n</Response>", "line 3, column 1: </Response> closes <Say>"),
    ])
    func malformedDocuments_areRefusedWithTheirPlace(_ text: String, _ expected: String) {
        #expect(throws: (any Error).self) { try parse(text) }
        do {
            _ = try parse(text)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func invalidUTF8_isRefused() {
        #expect(throws: XMLError(line: 1, column: 1, message: "the document is not valid UTF-8")) {
            try XMLDocument.parse([0x3C, 0x52, 0x3E, 0xFF, 0x3C, 0x2F, 0x52, 0x3E])
        }
    }
}
