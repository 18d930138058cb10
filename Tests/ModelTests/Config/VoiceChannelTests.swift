import Model
import Testing

struct VoiceChannelTests {
    @Test(arguments: ["man", "woman", "alice", "Polly.Joanna", "Polly.Amy-Neural", "Google.en-GB-Standard-A", "Polly.Joanna-Generative"])
    func voices_TwiMLAccepts(_ voice: String) {
        #expect(VoiceChannel.isValidVoice(voice))
    }

    @Test(arguments: ["", "Man", "robot", "Polly.", "Polly.-x", "Polly.Joanna Neural", "Amazon.Joanna", "Google.en_US", "Polly.Jöanna"])
    func voices_TwiMLRefuses(_ voice: String) {
        #expect(!VoiceChannel.isValidVoice(voice))
    }

    @Test func languages_areBCP47Tags() {
        for tag in ["en", "en-US", "en-GB", "es-419", "cmn-Hans-CN", "fr-CA"] { #expect(VoiceChannel.isValidLanguage(tag), "\(tag)") }
        for tag in ["", "EN-us", "english", "en_US", "e", "en-", "-US", "en-US-", "en-verylongsubtag"] {
            #expect(!VoiceChannel.isValidLanguage(tag), "\(tag)")
        }
    }

    @Test func everyPhrase_hasADefaultWording() {
        for phrase in VoicePhrase.allCases { #expect(!phrase.defaultText.isEmpty, "\(phrase)") }
        #expect(VoicePhrase(rawValue: "still_working") == .stillWorking)
    }
}
