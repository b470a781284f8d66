/// One numbered step of the schema, the same for both engines: `sql` as SQLite runs it, and as
/// `PostgresSQL.schema` translates it for PostgreSQL unless `postgres` says otherwise. A database
/// records the last step applied (SQLite in `PRAGMA user_version`).
struct Migration {
    let version: Int
    let sql: String
    /// PostgreSQL's own text for a step SQLite does its own way (a table rebuilt to change a
    /// constraint, which PostgreSQL alters in place).
    var postgres: String?
}

/// The schema as a list of migrations, applied in order at open.
enum Schema {
    /// Every step, oldest first. Add new steps at the end; never edit a released one.
    static let migrations: [Migration] = [
        Migration(version: 1, sql: version1),
        Migration(version: 2, sql: version2),
        Migration(version: 3, sql: version3),
        Migration(
            version: 4, sql: version4Rebuilds + version4Tables,
            postgres: version4Alterations + PostgresSQL.schema(version4Tables)),
        Migration(version: 5, sql: version5),
        Migration(version: 6, sql: version6),
        Migration(version: 7, sql: version7),
        Migration(version: 8, sql: version8),
        Migration(version: 9, sql: version9),
        Migration(version: 10, sql: version10),
    ]

    /// The newest version this program knows.
    static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Brings the database up to `latestVersion` in one transaction and returns that version.
    ///
    /// A step may rebuild a table (SQLite's way to change a constraint), so foreign keys are not
    /// enforced while the steps run; every key is checked before the transaction commits, and
    /// enforcement is back on afterwards whatever happened.
    ///
    /// - Throws: `StoreError.newerSchema` when the file was written by a newer program;
    ///   `.constraintViolation` when a step left a key pointing nowhere (nothing is kept then).
    @discardableResult
    static func migrate(_ connection: StoreConnection) throws(StoreError) -> Int {
        let engine = connection.engine
        let found = try engine.schemaVersion()
        guard found < latestVersion else {
            guard found <= latestVersion else {
                throw .newerSchema(path: engine.location, found: found, supported: latestVersion)
            }
            return latestVersion
        }
        return try engine.withForeignKeysPaused { () throws(StoreError) -> Int in
            try applySteps(connection)
        }
    }

    /// Every step newer than the database's version, in one transaction, then a check of every key.
    private static func applySteps(_ connection: StoreConnection) throws(StoreError) -> Int {
        let engine = connection.engine
        return try connection.transaction { () throws(StoreError) -> Int in
            // Read inside the transaction: another process may have migrated the database meanwhile.
            let found = try engine.schemaVersion()
            guard found <= latestVersion else {
                throw .newerSchema(path: engine.location, found: found, supported: latestVersion)
            }
            for migration in migrations where migration.version > found {
                try engine.apply(migration)
            }
            let broken = try engine.foreignKeyProblems()
            guard broken.isEmpty else {
                throw .constraintViolation(
                    operation: "migrating \(engine.location)", sql: nil,
                    message: "FOREIGN KEY: " + broken.prefix(5).joined(separator: "; "))
            }
            return latestVersion
        }
    }
}

extension Schema {
    /// Tenants, service providers, the device inventory and its history, plans, bulk changes with
    /// their details and logs, and the queue of scheduled customer rate plan changes. Timestamps
    /// are ISO-8601 UTC text (see `Timestamp`).
    private static let version1 = """
        CREATE TABLE tenant (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE service_provider (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            integration TEXT NOT NULL CHECK (integration IN ('POD19', 'Jasper', 'TMobileJasper', 'Rogers')),
            base_url TEXT NOT NULL,
            username TEXT NOT NULL,
            api_key_source TEXT NOT NULL,
            writes_enabled INTEGER NOT NULL,
            calls_per_second REAL NOT NULL,
            max_in_flight INTEGER NOT NULL,
            username_field TEXT NOT NULL
        );
        CREATE TABLE device (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant (id),
            provider_id INTEGER NOT NULL REFERENCES service_provider (id),
            iccid TEXT NOT NULL,
            imei TEXT,
            msisdn TEXT,
            status TEXT,
            carrier_rate_plan TEXT,
            communication_plan TEXT,
            customer_rate_plan TEXT,
            customer_pool TEXT,
            data_allocation_mb REAL,
            username TEXT,
            cost_center_1 TEXT,
            cost_center_2 TEXT,
            cost_center_3 TEXT,
            last_usage_date TEXT,
            archived_at TEXT,
            retain_until TEXT,
            updated_at TEXT,
            UNIQUE (provider_id, iccid)
        );
        CREATE INDEX device_imei ON device (imei);
        CREATE TABLE carrier_rate_plan (
            provider_id INTEGER NOT NULL REFERENCES service_provider (id),
            name TEXT NOT NULL,
            PRIMARY KEY (provider_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE communication_plan (
            provider_id INTEGER NOT NULL REFERENCES service_provider (id),
            name TEXT NOT NULL,
            PRIMARY KEY (provider_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE customer_rate_plan (
            tenant_id INTEGER NOT NULL REFERENCES tenant (id),
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            data_allocation_mb REAL,
            PRIMARY KEY (tenant_id, code)
        ) WITHOUT ROWID;
        CREATE TABLE customer_pool (
            tenant_id INTEGER NOT NULL REFERENCES tenant (id),
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (tenant_id, code)
        ) WITHOUT ROWID;
        CREATE TABLE bulk_change (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant (id),
            provider_id INTEGER NOT NULL REFERENCES service_provider (id),
            change_type TEXT NOT NULL,
            source_file_name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('PENDING', 'PROCESSING', 'PROCESSED', 'COMPLETED_WITH_ERRORS', 'FAILED')),
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT
        );
        CREATE INDEX bulk_change_content ON bulk_change (tenant_id, content_hash);
        CREATE TABLE bulk_change_detail (
            id INTEGER PRIMARY KEY,
            bulk_change_id INTEGER NOT NULL REFERENCES bulk_change (id),
            row_number INTEGER NOT NULL,
            iccid TEXT NOT NULL,
            request_json TEXT,
            status TEXT NOT NULL CHECK (status IN
                ('PENDING', 'PROCESSING', 'PROCESSED', 'SCHEDULED', 'UNCHANGED', 'FAILED', 'REJECTED')),
            attempts INTEGER NOT NULL DEFAULT 0,
            message TEXT,
            old_value TEXT,
            new_value TEXT,
            processed_at TEXT,
            UNIQUE (bulk_change_id, row_number)
        );
        CREATE TABLE device_history (
            id INTEGER PRIMARY KEY,
            device_id INTEGER NOT NULL REFERENCES device (id),
            field TEXT NOT NULL,
            before_value TEXT,
            after_value TEXT,
            changed_at TEXT NOT NULL,
            detail_id INTEGER REFERENCES bulk_change_detail (id)
        );
        CREATE INDEX device_history_device ON device_history (device_id, id);
        CREATE TABLE detail_log (
            id INTEGER PRIMARY KEY,
            detail_id INTEGER NOT NULL REFERENCES bulk_change_detail (id),
            description TEXT NOT NULL,
            request_text TEXT NOT NULL,
            response_text TEXT NOT NULL,
            response_status INTEGER,
            is_error INTEGER NOT NULL,
            portal TEXT NOT NULL CHECK (portal IN ('M2M', 'Mobility')),
            logged_at TEXT NOT NULL
        );
        CREATE INDEX detail_log_detail ON detail_log (detail_id, id);
        CREATE TABLE rate_plan_queue (
            id INTEGER PRIMARY KEY,
            detail_id INTEGER NOT NULL REFERENCES bulk_change_detail (id),
            device_id INTEGER NOT NULL REFERENCES device (id),
            customer_rate_plan TEXT,
            customer_pool TEXT,
            data_allocation_mb REAL,
            effective_date TEXT NOT NULL,
            applied_at TEXT,
            outcome TEXT,
            message TEXT
        );
        CREATE INDEX rate_plan_queue_due ON rate_plan_queue (effective_date, id) WHERE applied_at IS NULL;
        CREATE INDEX rate_plan_queue_device ON rate_plan_queue (device_id);
        """
}

extension Schema {
    /// The file ledger: one row per file taken out of an inbox, from its claim to its outcome, so a
    /// restarted watcher resumes the files still CLAIMED and a file with the content of one already
    /// applied for the same tenant is recognised. Adds a table only; version-1 rows stay as they are.
    private static let version2 = """
        CREATE TABLE file_ledger (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant (id),
            original_name TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            content_hash TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            processing_path TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('CLAIMED', 'DONE', 'DUPLICATE', 'REJECTED')),
            bulk_change_id INTEGER REFERENCES bulk_change (id),
            finished_at TEXT,
            note TEXT
        );
        CREATE INDEX file_ledger_content ON file_ledger (tenant_id, content_hash);
        CREATE INDEX file_ledger_open ON file_ledger (claimed_at, id) WHERE status = 'CLAIMED';
        """
}

extension Schema {
    /// The notification spool: every email is stored before it is sent, so a crash or a mail
    /// server that is down loses none; `dedupe_key` keeps it to one per bulk change or file.
    private static let version3 = """
        CREATE TABLE notification (
            id INTEGER PRIMARY KEY,
            dedupe_key TEXT NOT NULL UNIQUE,
            tenant_id INTEGER REFERENCES tenant (id),
            bulk_change_id INTEGER REFERENCES bulk_change (id),
            recipients TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            attachment_name TEXT,
            attachment TEXT,
            status TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'DEAD')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX notification_due ON notification (next_attempt_at, id) WHERE status = 'PENDING';
        """
}
