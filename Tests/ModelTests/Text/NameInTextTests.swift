import Model
import Testing

struct NameInTextTests {
    @Test func namesGivenInTheUsualWays_areFound() {
        #expect(NameInText.find("Hi, this is Dana. Our sink is clogged") == "Dana")
        #expect(NameInText.find("My name is Dana Reyes and the sink is clogged") == "Dana Reyes")
        #expect(NameInText.find("my name's Sam, can you come tomorrow?") == "Sam")
        #expect(NameInText.find("Hello I'm Dana. Kitchen sink is blocked") == "Dana")
        #expect(NameInText.find("I’m Robin here, the heater died") == "Robin")
        #expect(NameInText.find("I am Anne-Marie from 5th street") == "Anne-Marie")
        #expect(NameInText.find("hi it's leaking, this is O'Neil") == "O'Neil")
    }

    @Test func wordsThatOnlyLookLikeNames_areNot() {
        for text in ["I'm having trouble with the sink", "I'm Not sure what is wrong", "this is Urgent please",
                     "This is the third time it clogs", "I'm in 78704", "I'm Looking for a plumber", "hi this is dana",
                     "I'm Dana's neighbour and her sink", "I am Sorry to bother you", "This is Friday's job",
                     "My kitchen sink is clogged", "I'm Home after 5", "this is DANA", ""] {
            #expect(NameInText.find(text) == nil, "\(text)")
        }
        #expect(NameInText.find(nil) == nil)
    }
}
