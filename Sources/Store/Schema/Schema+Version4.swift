extension Schema {
    /// Exactly-once carrier edits and confirmation:
    ///
    /// - `carrier_edit` records every edit before it is sent and what came back, so an edit whose
    ///   answer was lost is known to be uncertain and is never sent again blind;
    /// - `confirmation` holds the rows whose edit Control Center accepted but does not show yet;
    /// - a detail may be AWAITING_CONFIRMATION or NEEDS_CHECK (a person must look on Control
    ///   Center), and a bulk change AWAITING_CONFIRMATION;
    /// - the input's columns and each row's cells are kept, so the result files can be written again
    ///   from the store alone (after a late confirmation, or when the input file is gone).
    ///
    /// SQLite cannot change a CHECK constraint in place, so the two tables are rebuilt (the runner
    /// turns foreign key enforcement off around it and checks the keys before committing).
    static let version4Rebuilds = """
        CREATE TABLE bulk_change_new (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant (id),
            provider_id INTEGER NOT NULL REFERENCES service_provider (id),
            change_type TEXT NOT NULL,
            source_file_name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('PENDING', 'PROCESSING', 'AWAITING_CONFIRMATION', 'PROCESSED', 'COMPLETED_WITH_ERRORS', 'FAILED')),
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            input_columns TEXT,
            warnings TEXT
        );
        INSERT INTO bulk_change_new (id, tenant_id, provider_id, change_type, source_file_name, content_hash, status,
            created_at, started_at, finished_at)
        SELECT id, tenant_id, provider_id, change_type, source_file_name, content_hash, status, created_at, started_at,
            finished_at
        FROM bulk_change;
        DROP TABLE bulk_change;
        ALTER TABLE bulk_change_new RENAME TO bulk_change;
        CREATE INDEX bulk_change_content ON bulk_change (tenant_id, content_hash);

        CREATE TABLE bulk_change_detail_new (
            id INTEGER PRIMARY KEY,
            bulk_change_id INTEGER NOT NULL REFERENCES bulk_change (id),
            row_number INTEGER NOT NULL,
            iccid TEXT NOT NULL,
            request_json TEXT,
            status TEXT NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'AWAITING_CONFIRMATION', 'PROCESSED', 'SCHEDULED',
                'UNCHANGED', 'NEEDS_CHECK', 'FAILED', 'REJECTED')),
            attempts INTEGER NOT NULL DEFAULT 0,
            message TEXT,
            old_value TEXT,
            new_value TEXT,
            processed_at TEXT,
            input_cells TEXT,
            UNIQUE (bulk_change_id, row_number)
        );
        INSERT INTO bulk_change_detail_new (id, bulk_change_id, row_number, iccid, request_json, status, attempts,
            message, old_value, new_value, processed_at)
        SELECT id, bulk_change_id, row_number, iccid, request_json, status, attempts, message, old_value, new_value,
            processed_at
        FROM bulk_change_detail;
        DROP TABLE bulk_change_detail;
        ALTER TABLE bulk_change_detail_new RENAME TO bulk_change_detail;
        CREATE INDEX bulk_change_detail_open ON bulk_change_detail (bulk_change_id, id)
            WHERE status IN ('PENDING', 'PROCESSING', 'AWAITING_CONFIRMATION');
        """

    /// PostgreSQL changes the same constraints in place and adds the same columns and index (its
    /// column CHECK constraints are named `<table>_<column>_check`).
    static let version4Alterations = """
        ALTER TABLE bulk_change DROP CONSTRAINT bulk_change_status_check;
        ALTER TABLE bulk_change ADD CONSTRAINT bulk_change_status_check CHECK (status IN
            ('PENDING', 'PROCESSING', 'AWAITING_CONFIRMATION', 'PROCESSED', 'COMPLETED_WITH_ERRORS', 'FAILED'));
        ALTER TABLE bulk_change ADD COLUMN input_columns TEXT;
        ALTER TABLE bulk_change ADD COLUMN warnings TEXT;
        ALTER TABLE bulk_change_detail DROP CONSTRAINT bulk_change_detail_status_check;
        ALTER TABLE bulk_change_detail ADD CONSTRAINT bulk_change_detail_status_check CHECK (status IN ('PENDING',
            'PROCESSING', 'AWAITING_CONFIRMATION', 'PROCESSED', 'SCHEDULED', 'UNCHANGED', 'NEEDS_CHECK', 'FAILED',
            'REJECTED'));
        ALTER TABLE bulk_change_detail ADD COLUMN input_cells TEXT;
        CREATE INDEX bulk_change_detail_open ON bulk_change_detail (bulk_change_id, id)
            WHERE status IN ('PENDING', 'PROCESSING', 'AWAITING_CONFIRMATION');
        """

    /// The two new tables, the same for both engines.
    static let version4Tables = """
        CREATE TABLE carrier_edit (
            id INTEGER PRIMARY KEY,
            detail_id INTEGER NOT NULL REFERENCES bulk_change_detail (id),
            step TEXT NOT NULL,
            iccid TEXT NOT NULL,
            request_json TEXT NOT NULL,
            undo_json TEXT,
            effective_date TEXT,
            attempt INTEGER NOT NULL CHECK (attempt >= 1),
            state TEXT NOT NULL
                CHECK (state IN ('SENDING', 'ACCEPTED', 'ACCEPTED_LATER', 'REFUSED', 'NOT_SENT', 'UNKNOWN')),
            sent_at TEXT NOT NULL,
            answered_at TEXT,
            response_status INTEGER,
            note TEXT,
            UNIQUE (detail_id, step, attempt)
        );

        CREATE TABLE confirmation (
            detail_id INTEGER PRIMARY KEY REFERENCES bulk_change_detail (id),
            bulk_change_id INTEGER NOT NULL REFERENCES bulk_change (id),
            provider_id INTEGER NOT NULL REFERENCES service_provider (id),
            iccid TEXT NOT NULL,
            expectation TEXT NOT NULL,
            result TEXT NOT NULL,
            accepted_at TEXT NOT NULL,
            applied_later INTEGER NOT NULL,
            resent INTEGER NOT NULL DEFAULT 0,
            checks INTEGER NOT NULL DEFAULT 0,
            next_check_at TEXT NOT NULL,
            settle_by TEXT NOT NULL
        );
        CREATE INDEX confirmation_due ON confirmation (next_check_at);
        CREATE INDEX confirmation_bulk_change ON confirmation (bulk_change_id);
        """
}
