// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "inferplan",
    products: [
        .executable(name: "inferplan", targets: ["inferplan"]),
        .library(name: "InferplanKit", targets: ["InferplanKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Depend on the HeapModule/DequeModule products only: the `Collections` umbrella nearly
        // doubles the build time (../shared/reference/swift-notes.md).
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // GNU Scientific Library: random variates, quantiles, least-squares fits.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // FP4 formats (E2M1, E8M0, E4M3, MXFP4, NVFP4) in C: the bit-exact scalar reference that the
        // calibration kernels are tested against.
        // -O3 even in debug builds: the kernels are measured, and C stays fast without Swift's release
        // mode (../shared/reference/swift-notes.md). ISA-specific code uses target attributes and
        // runtime dispatch, never -march=native.
        .target(
            name: "CFP4",
            cSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("m"), .linkedLibrary("pthread")]
        ),
        // The simulator: scenario -> built system -> engine -> metrics -> report.
        .target(
            name: "InferplanKit",
            dependencies: [
                "CGSL",
                "CFP4",
                .product(name: "Yams", package: "Yams"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            resources: [.copy("Catalog")]
        ),
        // The command-line tool: one file per subcommand.
        .executableTarget(
            name: "inferplan",
            dependencies: [
                "InferplanKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Wall-time benchmarks (never timed inside unit tests): `swift run -c release inferplan-bench`.
        .executableTarget(
            name: "inferplan-bench",
            dependencies: ["InferplanKit", "CFP4"],
            path: "Benchmarks/inferplan-bench"
        ),
        // The fuzz harness: mutated inputs through the release binary, every outcome classified
        // (scripts/test.sh runs 300 cases; README: the 10,000-case run).
        .executableTarget(
            name: "inferplan-fuzz",
            dependencies: [.product(name: "Yams", package: "Yams")],
            path: "Fuzz/inferplan-fuzz"
        ),
        .testTarget(
            name: "InferplanKitTests",
            dependencies: ["InferplanKit", "inferplan", "CFP4"]
        ),
    ]
)
