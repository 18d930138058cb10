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
        (3, """
            -- A booking's service and start, kept in columns by every commit that writes the
            -- context, so a service's bookings on a day (max_per_day) are an index range instead
            -- of JSON read out of every interaction the tenant ever had.
            ALTER TABLE interactions ADD COLUMN booked_service text, ADD COLUMN booked_start text COLLATE "C";
            UPDATE interactions SET booked_service = context::jsonb #>> '{service,id}',
                                    booked_start = context::jsonb #>> '{booking,start}'
                WHERE jsonb_typeof(context::jsonb #> '{booking,start}') = 'string';
            CREATE INDEX interactions_booked ON interactions (tenant_id, booked_service, booked_start)
                WHERE booked_start IS NOT NULL;
            -- Effect keys begin with their interaction's id: in byte order, one interaction's
            -- effects are one range of the key (what retention deletes).
            ALTER TABLE effects ALTER COLUMN key TYPE text COLLATE "C";
            -- What retention retired, counted by the UTC day each interaction was received and
            -- the status it ended in, so a tenant's figures outlive its journal.
            CREATE TABLE retired_days (
                tenant_id text NOT NULL,
                day text COLLATE "C" NOT NULL,
                status text NOT NULL,
                interactions bigint NOT NULL,
                PRIMARY KEY (tenant_id, day, status)
            );
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
