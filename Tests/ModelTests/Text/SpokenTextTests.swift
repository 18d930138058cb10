import Model
import Testing

struct SpokenTextTests {
    @Test func links_areLeftToTheText_andLinesBecomeSentences() {
        let text = """
            You're booked! Drain cleaning on Tue, Nov 24 at 9:00 AM.
            Please pay the $43.50 deposit: https://pay.example/cs_1?x=1.
            Reply HELP for help
            """
        #expect(SpokenText.from(text) == "You're booked! Drain cleaning on Tue, Nov 24 at 9:00 AM. "
                + "Please pay the $43.50 deposit: the link in our text message. Reply HELP for help.")
    }

    @Test func blankLines_andRunsOfSpaces_collapse() {
        #expect(SpokenText.from("  Hello   there \n\n\n  HTTP://EXAMPLE.COM  ") == "Hello there. the link in our text message.")
        #expect(SpokenText.from("") == "")
        #expect(SpokenText.from("Which one?\n1) 9:00 AM\n2) 10:30 AM") == "Which one? 1) 9:00 AM. 2) 10:30 AM.")
    }

    @Test func wordsThatOnlyStartLikeLinks_stay() {
        #expect(SpokenText.from("see httpbin and https:") == "see httpbin and https:")
    }
}
