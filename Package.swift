// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Backorders",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "backorders", targets: ["backorders"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .target(name: "BackorderCore"),
        .target(name: "BackorderStore", dependencies: [
            "BackorderCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            "CSQLiteConfig",
        ]),
        .systemLibrary(name: "CSQLiteConfig", path: "Sources/CSQLiteConfig"),
        // The App holds no SQL and imports no GRDB: the store's named operations only.
        .target(name: "BackorderApp", dependencies: ["BackorderCore", "BackorderStore"]),
        .target(name: "TerminalKit", dependencies: [
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        .target(name: "CursesBackend", dependencies: ["TerminalKit", "CNCurses"]),
        .target(name: "TestSupport"),
        .target(name: "BackordersTUI", dependencies: ["BackorderCore", "BackorderApp", "TerminalKit"]),
        .executableTarget(name: "backorders", dependencies: [
            "BackorderCore", "BackorderStore", "BackorderApp", "BackordersTUI", "CursesBackend", "TerminalKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "BackorderCoreTests", dependencies: ["BackorderCore"]),
        .testTarget(name: "BackorderStoreTests", dependencies: [
            "BackorderCore", "BackorderStore", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "BackorderAppTests", dependencies: [
            "BackorderCore", "BackorderStore", "BackorderApp", "TestSupport", "backorders",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["BackorderCore", "BackorderStore", "TestSupport", "backorders"]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit", "TestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "CursesBackendTests", dependencies: ["CursesBackend", "CNCurses", "TerminalKit"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
        .testTarget(name: "BackordersTUITests", dependencies: [
            "BackordersTUI", "BackorderApp", "BackorderCore", "BackorderStore", "TerminalKit", "TestSupport",
        ], exclude: ["Goldens"]),
        .testTarget(name: "TUIEndToEndTests", dependencies: ["BackorderStore", "TestSupport", "backorders"]),
    ],
    swiftLanguageModes: [.v6]
)
