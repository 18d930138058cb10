import Native

/// Schema migrations, versioned in code. Each runs once, in order, inside a transaction; the
/// applied versions are recorded in `schema_migrations`.
enum SQLiteSchema {
    static let migrations: [(version: Int, sql: String)] = [
        (1, """
            CREATE TABLE interactions (
                -- A rowid table: rows carry the input and a context of several KB, which
                -- WITHOUT ROWID tables handle badly (SQLite's guidance: keep those rows small).
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                channel TEXT NOT NULL,
                status TEXT NOT NULL,
                idempotency_key TEXT,
                request_hash TEXT,
                customer TEXT,
                flow TEXT,
                state TEXT,
                config_version TEXT,
                input TEXT NOT NULL,
                context TEXT NOT NULL DEFAULT '{}',
                annotations TEXT NOT NULL DEFAULT '{}',
                reason TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                wake_at INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            CREATE UNIQUE INDEX interactions_idempotency ON interactions (tenant_id, channel, idempotency_key)
                WHERE idempotency_key IS NOT NULL;
            CREATE INDEX interactions_by_status ON interactions (tenant_id, status, id);
            CREATE INDEX interactions_by_customer ON interactions (tenant_id, customer, id);
            CREATE INDEX interactions_unfinished ON interactions (status, wake_at)
                WHERE status IN ('accepted', 'running', 'retrying', 'awaiting_reply', 'awaiting_approval');
            CREATE TABLE steps (
                tenant_id TEXT NOT NULL,
                interaction_id TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                state TEXT NOT NULL,
                agent TEXT NOT NULL,
                outcome TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                duration_us INTEGER NOT NULL,
                detail TEXT NOT NULL,
                PRIMARY KEY (tenant_id, interaction_id, sequence)
            );
            CREATE TABLE effects (
                tenant_id TEXT NOT NULL,
                key TEXT NOT NULL,
                interaction_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                operation TEXT NOT NULL,
                state TEXT NOT NULL,
                result TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, key)
            ) WITHOUT ROWID;
            CREATE TABLE conversations (
                tenant_id TEXT NOT NULL,
                customer TEXT NOT NULL,
                interaction_id TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, customer)
            ) WITHOUT ROWID;
            """),
        (2, """
            -- Who did what: operator actions by key name, and each configuration version a
            -- reload put into service. Appended, never updated.
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT '{}'
            );
            CREATE INDEX audit_by_tenant ON audit_log (tenant_id, seq);
            CREATE INDEX audit_by_action ON audit_log (tenant_id, action, seq);
            """),
        (3, """
            -- The scheduler's two questions each get an index whose WHERE is the query's own
            -- (SQLite uses a partial index only for a query that repeats its terms): waits that
            -- come due, and work a crash left. The index they replace listed all five statuses,
            -- which neither query does, so every tick scanned the whole table.
            DROP INDEX interactions_unfinished;
            CREATE INDEX interactions_waiting ON interactions (wake_at)
                WHERE status IN ('retrying', 'awaiting_reply', 'awaiting_approval');
            CREATE INDEX interactions_active ON interactions (created_at) WHERE status IN ('accepted', 'running');
            -- A booking's service and start, kept in columns by every commit that writes the
            -- context, so a service's bookings on a day (max_per_day) are an index range instead
            -- of JSON read out of every interaction the tenant ever had.
            ALTER TABLE interactions ADD COLUMN booked_service TEXT;
            ALTER TABLE interactions ADD COLUMN booked_start TEXT;
            UPDATE interactions SET booked_service = json_extract(context, '$.service.id'),
                                    booked_start = json_extract(context, '$.booking.start')
                WHERE json_type(context, '$.booking.start') = 'text';
            CREATE INDEX interactions_booked ON interactions (tenant_id, booked_service, booked_start)
                WHERE booked_start IS NOT NULL;
            -- What retention retired, counted by the UTC day each interaction was received and
            -- the status it ended in, so a tenant's figures outlive its journal.
            CREATE TABLE retired_days (
                tenant_id TEXT NOT NULL,
                day TEXT NOT NULL,
                status TEXT NOT NULL,
                interactions INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, day, status)
            ) WITHOUT ROWID;
            """),
    ]

    static func migrate(_ connection: SQLiteConnection) throws {
        try connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        let applied = Set(try connection.prepared("SELECT version FROM schema_migrations").query { Int($0.int(0)) })
        for migration in migrations where !applied.contains(migration.version) {
            try connection.transaction {
                try connection.execute(migration.sql)
                try connection.prepared("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
                    .run([.integer(Int64(migration.version)), .integer(Clock.unixMillis())])
            }
        }
    }

    static var latestVersion: Int { migrations.last?.version ?? 0 }
}
