import Glibc
import Testing
@testable import Native

struct FileSystemTests {
    @Test func writeThenRead_roundTrips_andListingIsSorted() throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "fs-test")
        defer { FileSystem.removeTree(directory) }
        try FileSystem.writeFileAtomically(directory + "/b.yaml", Array("bee".utf8))
        try FileSystem.writeFileAtomically(directory + "/a.yaml", Array(repeating: UInt8(ascii: "x"), count: 100_000))
        mkdir(directory + "/sub", 0o755)
        #expect(try FileSystem.readFile(directory + "/b.yaml") == Array("bee".utf8))
        #expect(try FileSystem.readFile(directory + "/a.yaml").count == 100_000)
        let entries = try FileSystem.listDirectory(directory)
        #expect(entries.map(\.name) == ["a.yaml", "b.yaml", "sub"])
        #expect(entries.map(\.kind) == [.file, .file, .directory])
        #expect(FileSystem.kind(of: directory + "/missing") == nil)
    }

    @Test func readFile_missing_namesThePath() {
        #expect(throws: SystemError.self) { try FileSystem.readFile("/nonexistent/tenant.yaml") }
        do {
            _ = try FileSystem.readFile("/nonexistent/tenant.yaml")
        } catch {
            #expect(error.description == "open failed for /nonexistent/tenant.yaml: No such file or directory (errno 2)")
        }
    }

    @Test func readFile_overTheLimit_isRefused() throws {
        let directory = try FileSystem.makeTemporaryDirectory(prefix: "fs-test")
        defer { FileSystem.removeTree(directory) }
        try FileSystem.writeFileAtomically(directory + "/big", Array(repeating: 0, count: 5000))
        #expect(throws: SystemError.self) { try FileSystem.readFile(directory + "/big", maxBytes: 4096) }
    }
}
