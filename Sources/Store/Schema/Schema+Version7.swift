extension Schema {
    /// Reasons and lookups:
    ///
    /// - `device_history.reason` keeps why a change was made (a status update's `reason` column);
    /// - `carrier_edit (iccid)` finds the edits still pending on the carrier for one device (archival
    ///   looks before it archives);
    /// - `device_history (detail_id)` finds what one bulk change did to its devices (`undo`).
    static let version7 = """
        ALTER TABLE device_history ADD COLUMN reason TEXT;
        CREATE INDEX carrier_edit_iccid ON carrier_edit (iccid, effective_date);
        CREATE INDEX device_history_detail ON device_history (detail_id) WHERE detail_id IS NOT NULL;
        """
}
