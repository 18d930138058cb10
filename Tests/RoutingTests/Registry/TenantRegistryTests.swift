import Glibc
import Model
import Native
import Testing
@testable import Routing

@Suite(.timeLimit(.minutes(1)))
struct TenantRegistryTests {
    /// A temporary tenants folder and a registry over it.
    final class Folder {
        let path: String
        let metrics = MetricsRegistry()
        let registry: TenantRegistry

        init() throws {
            path = try FileSystem.makeTemporaryDirectory(prefix: "registry-test")
            registry = TenantRegistry(directory: path, loader: TenantConfigLoader(environment: TestFiles.environment), metrics: metrics)
        }

        deinit {
            registry.stopWatching()
            FileSystem.removeTree(path)
        }

        func write(_ name: String, _ text: String) throws { try FileSystem.writeFileAtomically(path + "/" + name, Array(text.utf8)) }
        func remove(_ name: String) throws { try FileSystem.removeFile(path + "/" + name) }
    }

    private func tenant(_ id: String, name: String = "Fixture Plumbing") -> String {
        TestFiles.validFixture.replacingFirst("id: fixture", with: "id: \(id)").replacingFirst("name: Fixture Plumbing", with: "name: \(name)")
    }

    @Test func reload_servesEveryValidFile() throws {
        let folder = try Folder()
        try folder.write("a.yaml", tenant("alpha"))
        try folder.write("b.yml", tenant("beta"))
        try folder.write("notes.txt", "not a tenant")
        let summary = folder.registry.reload()
        #expect(summary.loaded.sorted() == ["alpha", "beta"])
        #expect(folder.registry.snapshots.map(\.id) == ["alpha", "beta"])
        #expect(folder.registry.snapshot(for: "alpha")?.config.identity.name == "Fixture Plumbing")
        #expect(folder.registry.reload().unchanged == 2)
    }

    @Test func invalidEdit_keepsTheLastGoodVersion_andRecordsWhy() throws {
        let folder = try Folder()
        try folder.write("a.yaml", tenant("alpha"))
        folder.registry.reload()
        let good = try #require(folder.registry.snapshot(for: "alpha"))
        try folder.write("a.yaml", tenant("alpha").replacingFirst("price: 80.00", with: "price: 80.001"))
        let summary = folder.registry.reload(names: ["a.yaml"])
        #expect(summary.failed.count == 1)
        #expect(folder.registry.snapshot(for: "alpha") === good)
        let status = try #require(folder.registry.statuses.first)
        #expect(status.snapshot === good)
        #expect(status.lastError?.description == "\(folder.path)/a.yaml:47:12: services.leak.price: 80.001 has more decimals than USD allows (2)")
        #expect(folder.metrics.render().contains("switchboard_config_last_reload_error{tenant=\"alpha\",file=\"a.yaml\"} 1"))
        #expect(folder.metrics.render().contains("switchboard_config_reloads_total{result=\"failure\"} 1"))

        try folder.write("a.yaml", tenant("alpha", name: "Alpha Drains"))
        #expect(folder.registry.reload(names: ["a.yaml"]).updated == ["alpha"])
        #expect(folder.registry.snapshot(for: "alpha")?.config.identity.name == "Alpha Drains")
        #expect(folder.registry.statuses.first?.lastError == nil)
        #expect(folder.metrics.render().contains("switchboard_config_last_reload_error{tenant=\"alpha\",file=\"a.yaml\"} 0"))
    }

    @Test func heldSnapshots_surviveASwap() throws {
        let folder = try Folder()
        try folder.write("a.yaml", tenant("alpha", name: "Old Name"))
        folder.registry.reload()
        let held = try #require(folder.registry.snapshot(for: "alpha"))
        try folder.write("a.yaml", tenant("alpha", name: "New Name"))
        folder.registry.reload()
        #expect(held.config.identity.name == "Old Name")
        #expect(folder.registry.snapshot(for: "alpha")?.config.identity.name == "New Name")
        #expect(held.version != folder.registry.snapshot(for: "alpha")?.version)
    }

    @Test func removedFile_stopsItsTenant_andNewFileAddsOne() throws {
        let folder = try Folder()
        try folder.write("a.yaml", tenant("alpha"))
        folder.registry.reload()
        try folder.remove("a.yaml")
        try folder.write("c.yaml", tenant("gamma"))
        let summary = folder.registry.reload()
        #expect(summary.removed == ["alpha"])
        #expect(summary.loaded == ["gamma"])
        #expect(folder.registry.snapshots.map(\.id) == ["gamma"])
        #expect(folder.registry.statuses.map(\.path) == [folder.path + "/c.yaml"])
    }

    @Test func duplicateID_isRejected_untilTheOwnerLetsGo() throws {
        let folder = try Folder()
        try folder.write("a.yaml", tenant("alpha", name: "First"))
        try folder.write("b.yaml", tenant("alpha", name: "Second"))
        let summary = folder.registry.reload()
        #expect(summary.loaded == ["alpha"])
        #expect(summary.failed.first?.diagnostics.first?.message == "tenant id \"alpha\" is already used by \(folder.path)/a.yaml; each tenant has one file")
        #expect(folder.registry.snapshot(for: "alpha")?.config.identity.name == "First")
        try folder.remove("a.yaml")
        folder.registry.reload()
        #expect(folder.registry.snapshot(for: "alpha")?.config.identity.name == "Second")
    }

    @Test func fileThatChangesItsID_movesItsTenant() throws {
        let folder = try Folder()
        try folder.write("a.yaml", tenant("alpha"))
        folder.registry.reload()
        try folder.write("a.yaml", tenant("omega"))
        let summary = folder.registry.reload(names: ["a.yaml"])
        #expect(summary.removed == ["alpha"])
        #expect(summary.loaded == ["omega"])
        #expect(folder.registry.snapshots.map(\.id) == ["omega"])
    }

    @Test func watcher_appliesAnEditWithinASecond() throws {
        let folder = try Folder()
        try folder.write("a.yaml", tenant("alpha", name: "Before"))
        folder.registry.reload()
        try folder.registry.startWatching(debounce: .milliseconds(50))
        let started = Clock.monotonicNanos()
        try folder.write("a.yaml", tenant("alpha", name: "After"))
        while folder.registry.snapshot(for: "alpha")?.config.identity.name != "After", Clock.monotonicNanos() - started < 3_000_000_000 {
            usleep(5_000)
        }
        let elapsed = Double(Clock.monotonicNanos() - started) / 1e9
        #expect(folder.registry.snapshot(for: "alpha")?.config.identity.name == "After")
        #expect(elapsed < 1.0)
        // A new file and a removal arrive the same way.
        try folder.write("b.yaml", tenant("beta"))
        try folder.remove("a.yaml")
        while folder.registry.snapshots.map(\.id) != ["beta"], Clock.monotonicNanos() - started < 5_000_000_000 { usleep(5_000) }
        #expect(folder.registry.snapshots.map(\.id) == ["beta"])
    }

    @Test func missingFolder_servesNothing_andSaysSo() {
        let registry = TenantRegistry(directory: "/nonexistent/tenants", loader: TenantConfigLoader(environment: [:]), metrics: MetricsRegistry())
        #expect(registry.reload() == ReloadSummary())
        #expect(registry.tenantCount == 0)
        #expect(throws: SystemError.self) { try registry.startWatching() }
    }
}

extension TenantRegistryTests {
    /// Kubernetes mounts a ConfigMap as symlinks into a `..data` folder it swaps atomically: the
    /// tenant file's own name never changes, only what it points to.
    @Test func swappedSymlinkedFolder_isNoticed() throws {
        let folder = try Folder()
        mkdir(folder.path + "/..v1", 0o755)
        try FileSystem.writeFileAtomically(folder.path + "/..v1/a.yaml", Array(tenant("alpha", name: "Version One").utf8))
        symlink("..v1", folder.path + "/..data")
        symlink("..data/a.yaml", folder.path + "/a.yaml")
        folder.registry.reload()
        #expect(folder.registry.snapshot(for: "alpha")?.config.identity.name == "Version One")
        try folder.registry.startWatching(debounce: .milliseconds(50))
        mkdir(folder.path + "/..v2", 0o755)
        try FileSystem.writeFileAtomically(folder.path + "/..v2/a.yaml", Array(tenant("alpha", name: "Version Two").utf8))
        symlink("..v2", folder.path + "/..data_tmp")
        rename(folder.path + "/..data_tmp", folder.path + "/..data")
        let started = Clock.monotonicNanos()
        while folder.registry.snapshot(for: "alpha")?.config.identity.name != "Version Two", Clock.monotonicNanos() - started < 3_000_000_000 {
            usleep(5_000)
        }
        #expect(folder.registry.snapshot(for: "alpha")?.config.identity.name == "Version Two")
    }
}
