// libFuzzer entry point for the HTTP/1.1 request parser and chunked decoder.
//
// `scripts/fuzz http-parser` builds it with `-sanitize=fuzzer,address -DFUZZING -parse-as-library`
// so libFuzzer supplies `main`. A plain build gets a `main` that replays the files named on the
// command line (the committed seed corpus, a crash reproducer).
import HTTP

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    HTTPFuzzing.parseAll(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
// SwiftPM links executables with `--defsym main=<Target>_main`, which would hide libFuzzer's own
// `main`; so the target's entry point hands control to libFuzzer's driver explicitly.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("FuzzHTTPParser_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzHTTPParser)
}
#else
import Glibc

@main
struct ReplayCorpus {
    static func main() {
        var files = 0
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else { continue }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&chunk, 1, chunk.count, file)
                if n <= 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
            }
            fclose(file)
            bytes.withUnsafeBufferPointer { _ = fuzzHTTPParser($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
            files += 1
        }
        print("replayed \(files) inputs")
    }
}
#endif
