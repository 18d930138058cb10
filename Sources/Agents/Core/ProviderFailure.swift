import Integration
import Native

/// Words for provider errors in decisions and traces.
enum ProviderFailure {
    static func describe(_ error: any Error) -> String {
        if let error = error as? ProviderError { return error.description }
        if error is CancellationError { return "cancelled: the interaction's deadline passed" }
        return Logger.describe(error)
    }

    static func kind(of error: any Error) -> String {
        if let error = error as? ProviderError { return error.kind.rawValue }
        if error is CancellationError { return "timeout" }
        return "internal"
    }
}
