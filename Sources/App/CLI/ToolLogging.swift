import Native

/// The operator tools print their reports on stdout; their logs (the in-process sandbox starting,
/// a server stopping) stay out of the way unless asked for with `SWITCHBOARD_LOG_LEVEL`.
enum ToolLogging {
    static func quiet(_ environment: [String: String]) {
        Logger.setMinimumLevel(environment["SWITCHBOARD_LOG_LEVEL"].flatMap(Logger.Level.init(name:)) ?? .warning)
    }
}
