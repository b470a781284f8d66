extension Schema {
    /// The scheduler's runs, queued carrier changes and retention:
    ///
    /// - `schedule_run` is one pass of the scheduler that took up due queue entries; the entries it
    ///   took carry its id, so its report (a results file per tenant, the parents' files, an email)
    ///   is made once from the store, also by another process after a crash;
    /// - `scheduled_change` queues a row whose change goes to Control Center on its effective date
    ///   (a future-dated archival); the row's request is in its detail, and the scheduler applies it
    ///   through the change type's processor when due;
    /// - `device_retention` finds archived devices whose retention date has passed.
    ///
    /// Entries applied before this version keep `run_id` empty: they were reported when applied.
    static let version8 = """
        CREATE TABLE schedule_run (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            reported_at TEXT
        );
        CREATE INDEX schedule_run_open ON schedule_run (id) WHERE reported_at IS NULL;
        ALTER TABLE rate_plan_queue ADD COLUMN run_id INTEGER REFERENCES schedule_run (id);
        CREATE INDEX rate_plan_queue_run ON rate_plan_queue (run_id) WHERE run_id IS NOT NULL;
        CREATE TABLE scheduled_change (
            id INTEGER PRIMARY KEY,
            detail_id INTEGER NOT NULL UNIQUE REFERENCES bulk_change_detail (id),
            effective_date TEXT NOT NULL,
            run_id INTEGER REFERENCES schedule_run (id)
        );
        CREATE INDEX scheduled_change_due ON scheduled_change (effective_date, id) WHERE run_id IS NULL;
        CREATE INDEX scheduled_change_run ON scheduled_change (run_id) WHERE run_id IS NOT NULL;
        CREATE INDEX device_retention ON device (retain_until) WHERE archived_at IS NOT NULL;
        """
}
