// swift-tools-version:5.4
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM renames an executable's entry point and
// links `main` to it, which clashes with libFuzzer supplying `main` itself.

import PackageDescription

// Coverage instrumentation must reach the parsers in STUN and SFU, not only these entry
// points, so the sanitizer flags are passed to the whole build (see the `fuzz-build` target in
// the root Makefile), not set here per target.
let package = Package(
    name: "sfu-server-fuzz",
    dependencies: [
        .package(name: "sfu-server", path: ".."),
        .package(name: "swift-nio", url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzSTUN",
            dependencies: [
                .product(name: "STUN", package: "sfu-server"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "FuzzRTP",
            dependencies: [
                .product(name: "SFU", package: "sfu-server"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "FuzzRTCP",
            dependencies: [
                .product(name: "SFU", package: "sfu-server"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "FuzzDTLS",
            dependencies: [
                .product(name: "SFU", package: "sfu-server"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
    ]
)
