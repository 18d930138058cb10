import Testing
@testable import Integration

struct MailComposerTests {
    @Test func date_isRFC5322() {
        #expect(MailComposer.date(1_700_000_000) == "Tue, 14 Nov 2023 22:13:20 +0000")
    }

    @Test func nonASCIIHeaders_useEncodedWordsWithinTheLineLimit() {
        let words = MailComposer.encodedWords(String(repeating: "é", count: 60))
        #expect(words.hasPrefix("=?UTF-8?B?"))
        for line in words.split(separator: "\r\n") { #expect(line.count <= 76) }
        #expect(MailComposer.mailbox(EmailAddress("z@x.example", name: "Zoë")) == "=?UTF-8?B?Wm/Dqw==?= <z@x.example>")
        #expect(MailComposer.mailbox(EmailAddress("a@x.example", name: "A \"B\" C")) == "\"A \\\"B\\\" C\" <a@x.example>")
    }

    @Test func longLines_areSentAsBase64() {
        let message = MailComposer.compose(EmailMessage(from: EmailAddress("a@x.example"), to: [EmailAddress("b@x.example")], subject: "s",
                                                        text: String(repeating: "x", count: 2000)), messageID: "<1@x>", unixSeconds: 0)
        let text = String(decoding: message, as: UTF8.self)
        #expect(text.contains("Content-Transfer-Encoding: base64\r\n"))
        for line in text.split(separator: "\r\n") { #expect(line.utf8.count <= 998) }
    }
}
