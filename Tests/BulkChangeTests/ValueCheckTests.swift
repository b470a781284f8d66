import BulkChange
import Testing

@Suite("ValueCheck")
struct ValueCheckTests {
    @Test(arguments: [("0", 0.0), ("250", 250), ("0.5", 0.5), ("1024.75", 1024.75)])
    func number(_ text: String, value: Double) throws {
        #expect(try ValueCheck.number(text) == value)
    }

    @Test(arguments: ["-1", "2,5", "1e3", ".5", "5.", "", "ten", "+3"])
    func notANumber(_ text: String) {
        #expect(catching(ValueCheck.number, text)?.message == "not a number of 0 or more")
    }

    @Test func integers() throws {
        #expect(try ValueCheck.integer("0090") == 90)
        for text in ["9.5", "-1", "99999999999999999999", "x"] {
            #expect(catching(ValueCheck.integer, text)?.message == "not a whole number")
        }
    }

    @Test(arguments: [
        ("true", true), ("TRUE", true), ("Yes", true), ("1", true), ("false", false), ("No", false), ("0", false),
    ])
    func boolean(_ text: String, value: Bool) throws {
        #expect(try ValueCheck.boolean(text) == value)
    }

    @Test func notABoolean() {
        #expect(catching(ValueCheck.boolean, "y")?.message == "not true or false")
    }

    @Test(arguments: [
        ("ACTIVATED", SIMStatus.activated), ("Activated", .activated), ("activation ready", .activationReady),
        ("Activation-Ready", .activationReady), ("activation__ready", .activationReady), ("test ready", .testReady),
    ])
    func status(_ text: String, status: SIMStatus) throws {
        #expect(try ValueCheck.status(text) == status)
    }

    @Test func notAStatus() {
        #expect(
            catching(ValueCheck.status, "ACTIVE")
                == FieldProblem(
                    "not a SIM status", hint: "use one of ACTIVATED, ACTIVATION_READY, DEACTIVATED, INVENTORY, RETIRED")
        )
    }

}
