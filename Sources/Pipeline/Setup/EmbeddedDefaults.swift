/// What the embedded defaults name: tenant `demo` and provider `POD19` on the built-in Jasper
/// simulator (account user `demo`), so a first `bulkdrop run` works with no set-up. The simulator
/// itself, and the demo inventory it shares with the store, are the command layer's business.
public enum EmbeddedDefaults {
    public static let tenant = "demo"
    public static let providerName = "POD19"

    public static let provider = ProviderSettings(
        name: providerName, baseURL: ProviderSettings.builtInSimulatorURL, username: "demo", callsPerSecond: 50,
        maxInFlight: 8)
}
