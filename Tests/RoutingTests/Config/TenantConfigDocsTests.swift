import Model
import Testing
@testable import Routing

/// docs/tenant-config.md's complete example is a real tenant file.
struct TenantConfigDocsTests {
    @Test func completeExample_validatesClean() throws {
        let document = TestFiles.text(TestFiles.packageRoot + "/docs/tenant-config.md")
        let afterHeading = try #require(document.split(separator: "## Complete example", maxSplits: 1).last)
        let block = try #require(afterHeading.split(separator: "```yaml\n", maxSplits: 1).last?.split(separator: "```", maxSplits: 1).first)
        let snapshot = try TestFiles.load(String(block), file: "docs/tenant-config.md", environment: [:]).get()
        #expect(snapshot.id == "bright-paws")
        #expect(snapshot.config.flows.keys.sorted() == ["booking", "deposit_paid"])
    }
}
