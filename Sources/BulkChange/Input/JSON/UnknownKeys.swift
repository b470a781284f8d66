/// The keys of a JSON bulk change that name no field, in the order they first appear, each with
/// that place; at most `InputWarning.namedLimit` are kept by name, the others only counted.
///
/// The count of the others is exact up to `countLimit` distinct keys, so a file of millions of
/// different keys costs a bounded amount of memory.
struct UnknownKeys {
    /// Distinct keys past the named ones counted exactly; beyond, the count says "at least".
    static let countLimit = 100_000

    private(set) var named: [(key: String, firstAt: String)] = []
    private var namedKeys: Set<String> = []
    /// Hashes of the keys past the named ones (enough to count them, without their text).
    private var others: Set<Int> = []
    private var countStopped = false

    /// Notes `key`, met at `place` (`the top level`, `defaults`, `devices[3]`).
    mutating func note(_ key: String, at place: @autoclosure () -> String) {
        if namedKeys.contains(key) { return }
        if named.count < InputWarning.namedLimit {
            namedKeys.insert(key)
            named.append((key, place()))
        } else if others.count < Self.countLimit {
            others.insert(key.hashValue)
        } else if !others.contains(key.hashValue) {
            countStopped = true
        }
    }

    /// One warning per named key, then one counting the others.
    func warnings(fileName: String, changeType: ChangeType) -> [InputWarning] {
        var warnings = named.map {
            InputWarning.unknownKey(fileName: fileName, key: $0.key, firstAt: $0.firstAt, changeType: changeType)
        }
        if !others.isEmpty {
            warnings.append(
                .moreUnknownKeys(fileName: fileName, count: others.count, atLeast: countStopped, changeType: changeType)
            )
        }
        return warnings
    }
}
