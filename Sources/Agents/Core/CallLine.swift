/// A caller still on the phone, waiting for the answer to what they just said.
///
/// The voice webhook holds the line open while the flow runs, up to its answer deadline. What
/// steps hand it before then is spoken in the call's next answer; afterwards the line refuses,
/// and the step reaches the customer by SMS instead:
///
/// ```swift
/// if let line = input.callLine, line.ask(question) {
///     // spoken in the next <Gather>; the caller's answer resumes this step
/// } else {
///     // text the question
/// }
/// ```
public protocol CallLine: Sendable {
    /// Queues `text` to be said in the call's next answer. False once that answer has gone out.
    func say(_ text: String) -> Bool

    /// Makes `question` the call's next turn: spoken in a `<Gather>`, the caller's words answer
    /// it. False once the answer has gone out (or another question took the turn).
    func ask(_ question: String) -> Bool
}
