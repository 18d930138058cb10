import Native

/// PostgreSQL schema migrations, versioned in code like `SQLiteSchema`. They run at start inside
/// one transaction under an advisory lock, so nodes starting together apply each one once.
enum PostgresSchema {
    /// `pg_advisory_xact_lock` key for migrations ("swbd" in ASCII).
    static let migrationLock: Int64 = 0x7377_6264

    static let migrations: [(version: Int, sql: String)] = [
        (1, """
            CREATE TABLE interactions (
                tenant_id text NOT NULL,
                id text NOT NULL,
                channel text NOT NULL,
                status text NOT NULL,
                idempotency_key text,
                request_hash text,
                customer text,
                flow text,
                state text,
                config_version text,
                -- JSON as text: kept byte for byte as written (key order included), cast to jsonb
                -- only where a query looks inside.
                input text NOT NULL,
                context text NOT NULL DEFAULT '{}',
                annotations text NOT NULL DEFAULT '{}',
                reason text,
                attempts integer NOT NULL DEFAULT 0,
                wake_at bigint,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                -- The node running it (see `nodes`); NULL when nobody is.
                lease_owner text,
                PRIMARY KEY (tenant_id, id)
            ) WITH (fillfactor = 80);  -- room on the page for the updates each step makes (HOT updates)
            -- Idempotency-Keys and webhook event ids: one interaction per key, whichever node
            -- accepts it.
            CREATE UNIQUE INDEX interactions_idempotency ON interactions (tenant_id, channel, idempotency_key)
                WHERE idempotency_key IS NOT NULL;
            CREATE INDEX interactions_by_status ON interactions (tenant_id, status, id);
            CREATE INDEX interactions_by_customer ON interactions (tenant_id, customer, id);
            CREATE INDEX interactions_active ON interactions (lease_owner) WHERE status IN ('accepted', 'running');
            CREATE INDEX interactions_waiting ON interactions (wake_at)
                WHERE status IN ('retrying', 'awaiting_reply', 'awaiting_approval');
            CREATE TABLE steps (
                tenant_id text NOT NULL,
                interaction_id text NOT NULL,
                sequence integer NOT NULL,
                state text NOT NULL,
                agent text NOT NULL,
                outcome text NOT NULL,
                started_at bigint NOT NULL,
                duration_us bigint NOT NULL,
                detail text NOT NULL,
                PRIMARY KEY (tenant_id, interaction_id, sequence)
            );
            CREATE TABLE effects (
                tenant_id text NOT NULL,
                key text NOT NULL,
                interaction_id text NOT NULL,
                provider text NOT NULL,
                operation text NOT NULL,
                state text NOT NULL,
                result text NOT NULL,
                updated_at bigint NOT NULL,
                PRIMARY KEY (tenant_id, key)
            ) WITH (fillfactor = 80);  -- each intent is updated once with its result
            CREATE TABLE conversations (
                tenant_id text NOT NULL,
                customer text NOT NULL,
                interaction_id text NOT NULL,
                expires_at bigint NOT NULL,
                PRIMARY KEY (tenant_id, customer)
            );
            -- One row per running Switchboard process. Its heartbeat moves `expires_at`
            -- (database clock, Unix ms); the interactions it leases may be taken by another node
            -- once that time has passed.
            CREATE TABLE nodes (
                node text PRIMARY KEY,
                started_at bigint NOT NULL,
                heartbeat_at bigint NOT NULL,
                expires_at bigint NOT NULL
            );
            """),
        (2, """
            -- Who did what: operator actions by key name, and each configuration version a
            -- reload put into service. Appended, never updated.
            CREATE TABLE audit_log (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tenant_id text NOT NULL,
                at bigint NOT NULL,
                actor text NOT NULL,
                action text NOT NULL,
                target text NOT NULL,
                outcome text NOT NULL,
                detail text NOT NULL DEFAULT '{}'
            );
            CREATE INDEX audit_by_tenant ON audit_log (tenant_id, seq);
            CREATE INDEX audit_by_action ON audit_log (tenant_id, action, seq);
            """),
    ]

    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies the migrations `connection`'s database lacks.
    static func migrate(_ connection: PQConnection) throws {
        try connection.transaction { connection in
            _ = try connection.query("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLock)])
            try connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)")
            let applied = Set(try connection.query("SELECT version FROM schema_migrations").map { Int($0.int(0) ?? 0) })
            for migration in migrations where !applied.contains(migration.version) {
                try connection.execute(migration.sql)
                _ = try connection.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, \(PostgresStore.now))",
                                         [.integer(Int64(migration.version))])
            }
        }
    }
}
