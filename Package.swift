// swift-tools-version:6.2
import PackageDescription

/// Every target is compiled in Swift 6 language mode (the tools version's default) with
/// complete concurrency checking, and a warning fails the build.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "BulkDrop",
    products: [
        .executable(name: "bulkdrop", targets: ["bulkdrop"]),
        .library(name: "CSV", targets: ["CSV"]),
    ],
    targets: [
        // C system libraries from Debian, each behind a module map and a small shim header.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // glibc's malloc tuning, for the executable only.
        .systemLibrary(name: "CMalloc"),

        // Pure: days since 1970 and back, under every timestamp read or written by hand.
        .target(name: "CivilDate", swiftSettings: strict),

        // Pure: the UTF-8 rules for one multi-byte sequence, which the CSV and XML readers share.
        .target(name: "UTF8Rules", swiftSettings: strict),

        // Pure core: the hand-written streaming CSV reader and the Excel-safe writer.
        .target(name: "CSV", dependencies: ["UTF8Rules"], swiftSettings: strict),

        // Pure: a hand-written streaming (pull) XML reader, for the parts of .xlsx workbooks.
        .target(name: "XMLStream", dependencies: ["UTF8Rules"], swiftSettings: strict),
        // Zip archives (the container of .xlsx workbooks): a reader bounded against hostile files, and a writer.
        .target(name: "Zip", dependencies: ["CZlib"], swiftSettings: strict),

        // Excel workbooks over Zip and XMLStream: a worksheet read row by row, and a workbook written sheet by sheet.
        .target(name: "XLSX", dependencies: ["CivilDate", "XMLStream", "Zip"], swiftSettings: strict),

        // Pure core: the domain of bulk changes (change types, row → typed request, validation, outcomes).
        .target(name: "BulkChange", dependencies: ["CSV", "XLSX"], swiftSettings: strict),

        // libcurl's process-wide set-up, done once for both of its users (HTTP and Mail).
        .target(name: "CurlRuntime", dependencies: ["CCurl"], swiftSettings: strict),

        // HTTP/1.1: the libcurl client that talks to Jasper, and a small server for the simulator.
        .target(name: "HTTP", dependencies: ["CCurl", "CurlRuntime"], swiftSettings: strict),

        // Control Center: API models, the client, error classification, rate limiter and retry policy.
        .target(name: "Jasper", dependencies: ["BulkChange", "CivilDate", "HTTP"], swiftSettings: strict),

        // The Jasper simulator: state, endpoints, fault injection; served by the HTTP server.
        .target(name: "JasperSim", dependencies: ["HTTP", "Jasper", "CSV"], swiftSettings: strict),

        // The database, SQLite or PostgreSQL: migrations, inventory, plans, bulk changes and their details,
        // logs, queue, history.
        .target(name: "Store", dependencies: ["CivilDate", "CSQLite", "CLibPQ"], swiftSettings: strict),

        // Email: MIME messages and SMTP sending through libcurl.
        .target(name: "Mail", dependencies: ["CCurl", "CivilDate", "CurlRuntime"], swiftSettings: strict),

        // Orchestration: run a bulk change end to end, processors per change type, outbox files, inventory sync.
        .target(
            name: "Pipeline",
            dependencies: ["BulkChange", "CSV", "HTTP", "Jasper", "Mail", "Store", "XLSX"],
            swiftSettings: strict),

        // The read-only HTTP listener of `bulkdrop run`: health, readiness, Prometheus metrics and the status page.
        .target(name: "Monitoring", dependencies: ["HTTP", "Pipeline", "Store"], swiftSettings: strict),

        // The built-in Jasper simulator served in-process for the embedded defaults, and the demo world.
        .target(
            name: "BuiltInSimulator", dependencies: ["BulkChange", "Jasper", "JasperSim", "Pipeline", "Store"],
            swiftSettings: strict),

        // Command line: argument parsing and the commands, kept out of the executable so tests can reach them.
        .target(
            name: "BulkDropCommands",
            dependencies: [
                "BuiltInSimulator", "BulkChange", "CMalloc", "CSV", "HTTP", "Jasper", "JasperSim", "Monitoring",
                "Pipeline", "Store", "XLSX",
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "bulkdrop", dependencies: ["BulkDropCommands", "CMalloc", "CurlRuntime"], swiftSettings: strict),

        .testTarget(name: "CSVTests", dependencies: ["CSV", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "XMLStreamTests", dependencies: ["XMLStream"], swiftSettings: strict),
        .testTarget(name: "ZipTests", dependencies: ["Zip", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "BulkDropCommandsTests",
            dependencies: ["BulkDropCommands", "bulkdrop", "CSV", "HTTP", "Store", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "BulkChangeTests", dependencies: ["BulkChange", "CSV"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"], swiftSettings: strict),
        // For tests: child processes read line by line, and a real SMTP server (aiosmtpd).
        .target(name: "TestSupport", dependencies: ["Mail"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "MailTests", dependencies: ["Mail", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "BuiltInSimulator", "BulkChange", "Jasper", "JasperSim", "Mail", "TestSupport", "Store",
                "HTTP",
            ],
            exclude: ["Golden"],
            swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "CCurl", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "JasperTests", dependencies: ["Jasper", "JasperSim", "HTTP", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "MonitoringTests",
            dependencies: ["Monitoring", "Pipeline", "HTTP", "Jasper", "Store", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "CShimTests", dependencies: ["CCurl", "CSQLite"], swiftSettings: strict),
        .testTarget(name: "CurlRuntimeTests", dependencies: ["CurlRuntime"], swiftSettings: strict),
    ]
)
