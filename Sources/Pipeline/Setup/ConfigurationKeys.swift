/// The keys one JSON object of the configuration may hold, taken from its type's `CodingKeys`,
/// and what the objects nested under some of them may hold.
///
/// `JSONDecoder` ignores keys it does not know, so `"callsPerSecnd": 2` would leave the default
/// rate in force without a word; `unknownKeys` walks the parsed JSON first and names each such key.
struct KeySet: Sendable {
    /// What a key holds, when it is checked further.
    enum Nested: Sendable {
        /// One object with these keys.
        case object(KeySet)
        /// A list of objects with these keys.
        case objects(KeySet)
    }

    /// The allowed keys, in the order of the type's `CodingKeys`.
    let keys: [String]
    let nested: [String: Nested]

    /// The keys of `Keys`; `nested` says which of them hold objects whose keys are checked too
    /// (the others, such as a map of tenant names, are data).
    init<Keys: CodingKey & CaseIterable>(_ type: Keys.Type, nested: [(Keys, Nested)] = []) {
        keys = Keys.allCases.map(\.stringValue)
        self.nested = Dictionary(uniqueKeysWithValues: nested.map { ($0.0.stringValue, $0.1) })
    }

    /// Every key of `object`, and of the objects nested under it, that is not allowed where it is;
    /// keys of one object in alphabetical order. Values of the wrong type are left to the decoder.
    func unknownKeys(in object: [String: Any], at path: String) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        for key in object.keys.sorted() {
            let keyPath = ConfigurationPath.key(key, in: path)
            guard keys.contains(key) else {
                problems.append(
                    .unknownKey(path: keyPath, suggestion: Self.nearest(to: key, among: keys), allowed: keys))
                continue
            }
            switch nested[key] {
            case .object(let inner):
                if let child = object[key] as? [String: Any] { problems += inner.unknownKeys(in: child, at: keyPath) }
            case .objects(let inner):
                for (index, element) in (object[key] as? [Any] ?? []).enumerated() {
                    guard let child = element as? [String: Any] else { continue }
                    problems += inner.unknownKeys(in: child, at: ConfigurationPath.index(index, in: keyPath))
                }
            case nil:
                break
            }
        }
        return problems
    }

    /// The allowed key a typo most likely meant: the nearest by edit distance (letter case
    /// ignored, a swap of neighbours counting as one edit), if at most about a quarter of its
    /// letters differ (1 to 3 edits); the first such key on a tie.
    static func nearest(to key: String, among allowed: [String]) -> String? {
        let limit = min(3, max(1, key.count / 4))
        var best: (key: String, distance: Int)?
        for candidate in allowed {
            let distance = EditDistance.between(key.lowercased(), candidate.lowercased())
            if distance <= limit, distance < best?.distance ?? Int.max { best = (candidate, distance) }
        }
        return best?.key
    }
}

/// The optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each count one (`fanOutWidht` is one edit from `fanOutWidth`).
enum EditDistance {
    static func between(_ first: String, _ second: String) -> Int {
        let a = Array(first)
        let b = Array(second)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        // Three rows of the full table are enough: the one before the previous is needed for swaps.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
