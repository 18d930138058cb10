import Agents
import Model
import Synchronization

/// Callers on the phone right now, by the interactions whose outcome they are waiting to hear.
///
/// The voice webhook opens a line before it starts (or resumes) an execution, and closes it
/// when it answers Twilio. Steps of those executions find the line through `StepInput.callLine`
/// and hand it what to say; once closed, the line refuses and steps text the customer. The
/// handshake is one lock, so a question is either spoken in the answer or texted, never lost
/// between the two. Lines live in this process only: after a restart, executions text.
public final class LiveCalls: Sendable {
    private let lines = Mutex<[String: Line]>([:])

    public init() {}

    /// Opens a line that steps of the interactions `ids` (of `tenant`) speak on. Close it with
    /// `close(_:)` when the answer goes out.
    ///
    /// `handOvers` limits how many things steps may hand the line (said or asked) before it
    /// refuses as if its answer had gone out: `what-if` replays a call with the line closing where
    /// the recorded call's did. Nil: no limit (a live caller, until `close`).
    public func open(tenant: String, ids: [InteractionID], handOvers: Int? = nil) -> Line {
        let line = Line(keys: ids.map { Self.key(tenant, $0) }, handOvers: handOvers)
        lines.withLock { lines in
            for key in line.keys { lines[key] = line }
        }
        return line
    }

    /// Closes `line`: from now on its steps text instead. Returns what was handed over, which the
    /// answer must say; closing again returns nothing more.
    public func close(_ line: Line) -> Line.Handed {
        let handed = line.close()
        lines.withLock { lines in
            for key in line.keys where lines[key] === line { lines[key] = nil }
        }
        return handed
    }

    /// The open line for an interaction's execution, if a caller is waiting on it.
    func line(tenant: String, id: InteractionID) -> Line? {
        lines.withLock { $0[Self.key(tenant, id)] }
    }

    /// Lines open now (for tests and shutdown checks).
    public var openCount: Int { lines.withLock { Set($0.values.map(ObjectIdentifier.init)).count } }

    private static func key(_ tenant: String, _ id: InteractionID) -> String { "\(tenant)/\(id.rawValue)" }

    /// One waiting caller.
    public final class Line: CallLine, Sendable {
        /// What the steps handed over before the answer went out.
        public struct Handed: Sendable, Equatable {
            public var said: [String]
            public var question: String?
        }

        private struct State {
            var isOpen = true
            var said: [String] = []
            var question: String?
            var handOversLeft: Int?

            /// Whether the line takes one more thing, counting it.
            mutating func takesOne() -> Bool {
                guard isOpen, question == nil, handOversLeft ?? 1 > 0 else { return false }
                handOversLeft = handOversLeft.map { $0 - 1 }
                return true
            }
        }

        fileprivate let keys: [String]
        private let state: Mutex<State>

        fileprivate init(keys: [String], handOvers: Int?) {
            self.keys = keys
            state = Mutex(State(handOversLeft: handOvers))
        }

        public func say(_ text: String) -> Bool {
            state.withLock { state in
                guard state.takesOne() else { return false }
                state.said.append(text)
                return true
            }
        }

        public func ask(_ question: String) -> Bool {
            state.withLock { state in
                guard state.takesOne() else { return false }
                state.question = question
                return true
            }
        }

        fileprivate func close() -> Handed {
            state.withLock { state in
                guard state.isOpen else { return Handed(said: [], question: nil) }
                state.isOpen = false
                defer {
                    state.said = []
                    state.question = nil
                }
                return Handed(said: state.said, question: state.question)
            }
        }
    }
}
