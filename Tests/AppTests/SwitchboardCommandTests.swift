import HTTP
import Testing
@testable import App

struct SwitchboardCommandTests {
    @Test func version_andHelp_exitZero() {
        #expect(SwitchboardCommand.main(["--version"], environment: [:]) == 0)
        #expect(SwitchboardCommand.main(["--help"], environment: [:]) == 0)
        #expect(SwitchboardCommand.main(["serve", "--help"], environment: [:]) == 0)
    }

    @Test func unknownFlagOrCommand_isUsageError_exitTwo() {
        #expect(SwitchboardCommand.main(["serve", "--bogus"], environment: [:]) == 2)
        #expect(SwitchboardCommand.main(["serve", "--port"], environment: [:]) == 2)
        #expect(SwitchboardCommand.main(["frobnicate"], environment: [:]) == 2)
        #expect(SwitchboardCommand.main([], environment: [:]) == 2)
        #expect(SwitchboardCommand.main(["serve", "--port", "70000"], environment: [:]) == 2)
        #expect(SwitchboardCommand.main(["serve", "--threads", "zero"], environment: [:]) == 2)
    }

    @Test func serveOptions_comeFromEnvironment_butFlagsWin() throws {
        let environment = ["SWITCHBOARD_PORT": "9001", "SWITCHBOARD_HOST": "0.0.0.0", "SWITCHBOARD_THREADS": "3"]
        let fromEnvironment = try ServeOptions(try ParsedFlags.parse([], flags: ServeCommand.flags, environment: environment))
        #expect(fromEnvironment.port == 9001)
        #expect(fromEnvironment.host == "0.0.0.0")
        #expect(fromEnvironment.threads == 3)
        let overridden = try ServeOptions(try ParsedFlags.parse(["--port=9002", "--threads", "1"], flags: ServeCommand.flags,
                                                                environment: environment))
        #expect(overridden.port == 9002)
        #expect(overridden.threads == 1)
    }

    @Test func serveOptions_defaults() throws {
        let options = try ServeOptions(try ParsedFlags.parse([], flags: ServeCommand.flags, environment: [:]))
        #expect(options.port == 8080)
        #expect(options.host == "127.0.0.1")
        #expect(options.maxBodyBytes == 1 << 20)
        #expect(options.tenantsDirectory == "tenants")
    }

    @Test func serveOptions_accessLog_isOnAndSampledByDefault_andTakesEachForm() throws {
        func mode(_ arguments: [String], environment: [String: String] = [:]) throws -> HTTPServer.AccessLog.Mode {
            try ServeOptions(try ParsedFlags.parse(arguments, flags: ServeCommand.flags, environment: environment)).accessLog.mode
        }
        #expect(try mode([]) == .sampled(linesPerSecond: 200))
        #expect(try mode(["--access-log", "off"]) == .off)
        #expect(try mode(["--access-log=all"]) == .all)
        #expect(try mode(["--access-log", "sample=1000"]) == .sampled(linesPerSecond: 1000))
        #expect(try mode([], environment: ["SWITCHBOARD_ACCESS_LOG": "off"]) == .off)
        #expect(SwitchboardCommand.main(["serve", "--access-log", "sometimes"], environment: [:]) == 2)
        #expect(SwitchboardCommand.main(["serve", "--access-log", "sample=0"], environment: [:]) == 2)
    }
}
