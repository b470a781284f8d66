extension Schema {
    /// Inventory sync state: `provider_sync` keeps, per service provider, the carrier time the
    /// last successful `devices sync` covered, so the next one continues from there instead of
    /// looking back a fixed number of days.
    static let version6 = """
        CREATE TABLE provider_sync (
            provider_id INTEGER PRIMARY KEY REFERENCES service_provider(id),
            synced_through TEXT NOT NULL,
            synced_at TEXT NOT NULL
        );
        """
}
