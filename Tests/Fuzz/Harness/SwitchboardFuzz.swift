// libFuzzer entry point for every fuzz target of Switchboard; `FUZZ_TARGET` picks the one to run.
//
// `scripts/fuzz` builds this with `-sanitize=fuzzer,address -DFUZZING -parse-as-library`, so
// libFuzzer's driver runs the chosen target. A plain build replays files instead:
// `SwitchboardFuzz TARGET FILE|DIR...` (the committed corpus, a crash reproducer).
import Glibc

/// Each target takes one input and traps when an invariant breaks; returning is success.
typealias FuzzTarget = @Sendable (UnsafeRawBufferPointer) -> Void

let fuzzTargets: [String: FuzzTarget] = [
    "http-parser": HTTPTargets.parser,
    "chunked": HTTPTargets.chunked,
    "json": DecodingTargets.json,
    "form": DecodingTargets.form,
    "yaml": ConfigTargets.tenantFile,
    "template": ConfigTargets.template,
    "signatures": SignatureTargets.verify,
]

/// Set once, before libFuzzer's driver starts calling `fuzzOneInput`.
nonisolated(unsafe) var selectedTarget: FuzzTarget = { _ in }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

func target(named name: String?) -> FuzzTarget {
    guard let name, let target = fuzzTargets[name] else {
        let known = fuzzTargets.keys.sorted().joined(separator: ", ")
        print("unknown fuzz target '\(name ?? "")'; known: \(known)")
        exit(2)
    }
    return target
}

#if FUZZING
// SwiftPM links executables with `--defsym main=<Target>_main`, which would hide libFuzzer's own
// `main`; so the target's entry point hands control to libFuzzer's driver explicitly.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@_cdecl("SwitchboardFuzz_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    selectedTarget = target(named: getenv("FUZZ_TARGET").map { String(cString: $0) })
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
}
#else
@main
struct ReplayCorpus {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        selectedTarget = target(named: arguments.first)
        var files = 0
        for path in arguments.dropFirst() {
            for file in FuzzFiles.list(path) {
                let bytes = FuzzFiles.read(file)
                bytes.withUnsafeBytes { _ = fuzzOneInput($0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
                files += 1
            }
        }
        print("replayed \(files) inputs")
    }
}
#endif
