/// What the injected faults do to one edit (`PUT /devices/{iccid}`), decided when it is admitted.
struct EditFaults: Equatable, Sendable {
    /// Answer success but change nothing.
    var ignore = false
    /// Apply at once, then wait this long before answering.
    var lateAnswer: Duration?
    /// Answer 202 and apply this much later on the simulator's clock.
    var applyLater: Duration?

    /// No fault: the edit is handled as Control Center normally does.
    static let none = EditFaults()

    /// The faults of the `ordinal`-th admitted edit (from 1) of device `iccid`.
    ///
    /// The device's own fault decides when it has one of these kinds; the rates decide otherwise,
    /// each by a draw that depends only on `seed`, the fault, the ICCID and `ordinal`.
    static func decide(
        iccid: String, ordinal: Int, faults: SimulatorFaults, deviceFault: DeviceFault?, seed: UInt64
    ) -> EditFaults {
        func draw(_ rate: Double, _ salt: UInt64) -> Bool {
            guard rate > 0 else { return false }
            var generator = SeededGenerator(seed: seed ^ salt)
            var mixed = SeededGenerator(seed: generator.next() ^ fnv1a(iccid))
            var keyed = SeededGenerator(seed: mixed.next() &+ UInt64(ordinal))
            return keyed.chance(rate)
        }
        var result = EditFaults()
        switch deviceFault?.kind {
        case .ignore: result.ignore = true
        case .lateAnswer: result.lateAnswer = .milliseconds(deviceFault?.delayMs ?? 0)
        case .applyLater: result.applyLater = .milliseconds(deviceFault?.delayMs ?? 0)
        default: break
        }
        if !result.ignore, draw(faults.ignoreEditRate, Salt.ignore) { result.ignore = true }
        if result.lateAnswer == nil, draw(faults.lateAnswerRate, Salt.lateAnswer) {
            result.lateAnswer = .milliseconds(faults.lateAnswerMs)
        }
        if result.applyLater == nil, draw(faults.applyLaterRate, Salt.applyLater) {
            result.applyLater = .milliseconds(faults.applyLaterMs)
        }
        return result
    }

    /// Keeps the draws of different faults for the same edit independent.
    private enum Salt {
        static let ignore: UInt64 = 0x1617_0E5E_D17E_0001
        static let lateAnswer: UInt64 = 0x1A7E_A115_3E20_0002
        static let applyLater: UInt64 = 0x0A99_1E1A_7E20_0003
    }

    /// FNV-1a of the text's UTF-8 bytes: a hash that, unlike `Hasher`, is the same in every process.
    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
