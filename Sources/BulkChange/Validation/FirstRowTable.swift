/// The first row each ICCID appeared in, for the rule that a file names a device once: an
/// open-addressing hash table of ICCIDs packed into numbers (`RowValidation.number(_:)`), with
/// linear probing and a multiplicative hash. A million ICCIDs take 40 MB and a lookup costs one
/// multiply and, mostly, one probe: `Dictionary`'s seeded SipHash cost more than the rest of a
/// row's checks.
struct FirstRowTable: Sendable {
    /// 0 marks an empty slot; a packed ICCID is never 0 (its low bits hold the digit count).
    private var keys: [UInt128]
    private var rows: [Int32]
    private var count = 0
    private var shift: UInt64

    init() {
        keys = Array(repeating: 0, count: 1024)
        rows = Array(repeating: 0, count: 1024)
        shift = UInt64(64 - 10)
    }

    /// The row `key` first appeared in; or `nil`, after which `key` is recorded as seen in `row`.
    mutating func firstRow(of key: UInt128, recordingIfNew row: Int32) -> Int32? {
        precondition(key != 0, "a packed ICCID is never 0")
        if (count + 1) * 2 > keys.count { grow() }
        var slot = self.slot(of: key)
        while keys[slot] != 0 {
            if keys[slot] == key { return rows[slot] }
            slot = (slot + 1) & (keys.count - 1)
        }
        keys[slot] = key
        rows[slot] = row
        count += 1
        return nil
    }

    private func slot(of key: UInt128) -> Int {
        let folded = UInt64(truncatingIfNeeded: key) ^ UInt64(truncatingIfNeeded: key >> 64) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: (folded &* 0xBF58_476D_1CE4_E5B9) >> shift)
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldRows = rows
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        rows = Array(repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        for index in oldKeys.indices where oldKeys[index] != 0 {
            var slot = self.slot(of: oldKeys[index])
            while keys[slot] != 0 { slot = (slot + 1) & (keys.count - 1) }
            keys[slot] = oldKeys[index]
            rows[slot] = oldRows[index]
        }
    }
}
