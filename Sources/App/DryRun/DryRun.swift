import Agents
import Integration
import Interaction
import Model
import Native
import Routing
import Sandbox
import Storage

/// What a dry run runs on: the sandbox providers in this process (on a free loopback port, with
/// no webhook targets, so nothing calls back anywhere), a private in-memory journal, and the real
/// engine and agents with the tenant file's integrations pointed at that sandbox.
final class DryRun: Sendable {
    let sandbox: SandboxServer
    let store: SQLiteStore
    let runtime: IntegrationRuntime
    let loaded: DryRunConfig.Loaded
    let publicURL: String

    var snapshot: TenantSnapshot { loaded.snapshot }
    var config: TenantConfig { loaded.snapshot.config }

    /// - Throws: `ConfigError` when the tenant file has problems; `SystemError` when the sandbox
    ///   cannot start.
    init(tenantFile: String, environment: [String: String]) throws {
        var configuration = SandboxServer.Configuration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.smtpPort = 0
        sandbox = try SandboxServer(configuration: configuration)
        try sandbox.start()
        do {
            loaded = try DryRunConfig.load(path: tenantFile, environment: environment, sandbox: sandbox)
            store = try SQLiteStore(path: ":memory:", readers: 0)
            runtime = try IntegrationRuntime(metrics: MetricsRegistry())
        } catch {
            sandbox.shutdown()
            throw error
        }
        publicURL = environment["SWITCHBOARD_PUBLIC_URL"] ?? "http://127.0.0.1:8080"
        for type in SandboxWiring.eventTypes(for: [loaded.snapshot]) { sandbox.define(type) }
    }

    /// An engine on this dry run's journal and tenant. With `book`, providers answer from the
    /// recorded answers it holds and only ask the sandbox for what was not recorded.
    func makeEngine(clock: DecisionClock, book: AnswerBook? = nil) -> Engine {
        var options = EngineOptions()
        options.clock = clock
        options.publicURL = publicURL
        if let book {
            options.decorateProviders = { base, _ in ReplayingProviders.wrap(base, book: book) }
            if book.hasAnswers(for: "classifier") { options.classifier = ReplayingClassifier(book: book) }
        }
        return Engine(store: store, tenants: StaticTenants([snapshot]), runtime: runtime, metrics: MetricsRegistry(), options: options)
    }

    /// Stores `interaction` and runs it until it ends or waits (or `timeoutSeconds` pass). With
    /// `spokenOnCall`, a call's interaction runs with a caller on the line who hears that many
    /// messages before the line closes, as the recorded call did; without, every message is sent.
    func run(_ interaction: Interaction, on engine: Engine, spokenOnCall: Int? = nil,
             timeoutSeconds: Double = 60) async throws -> InteractionRecord {
        guard case .accepted(let record) = try await store.accept(interaction, requestHash: nil) else {
            throw DryRunError(message: "interaction \(interaction.id) was already in the dry run's journal")
        }
        let line = spokenOnCall.map { engine.liveCalls.open(tenant: record.tenant, ids: [record.id], handOvers: $0) }
        defer { if let line { _ = engine.liveCalls.close(line) } }
        engine.execute(record)
        return try await settle(record.id, on: engine, timeoutSeconds: timeoutSeconds)
    }

    /// Waits until `id` ends or waits, and returns it.
    func settle(_ id: InteractionID, on engine: Engine, timeoutSeconds: Double = 60) async throws -> InteractionRecord {
        if let record = await engine.outcome(tenant: config.id.rawValue, id: id, waitingUpTo: timeoutSeconds) { return record }
        throw DryRunError(message: "interaction \(id) did not finish within \(Int(timeoutSeconds)) s in the dry run")
    }

    /// The trace of `id` as the API shows it.
    func trace(_ id: InteractionID) async throws -> JSON {
        let tenant = config.id.rawValue
        guard let record = try await store.interaction(tenant: tenant, id: id) else {
            throw DryRunError(message: "interaction \(id) is not in the dry run's journal")
        }
        return TraceView.trace(record, steps: try await store.steps(tenant: tenant, id: id))
    }

    func shutdown() {
        runtime.client.shutdown()
        sandbox.shutdown()
    }
}

/// A dry run that could not do what was asked.
struct DryRunError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
