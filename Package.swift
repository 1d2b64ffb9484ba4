// swift-tools-version: 6.0
// Loa — an open IP radio system for commune loudspeakers.
import PackageDescription

// Release executables on Linux are linked by lld (shipped with the Swift toolchain) with packed
// relative relocations (DT_RELR, glibc ≥ 2.36): Swift's metadata needs hundreds of thousands of
// relative relocations, which as RELA entries take megabytes that the loader reads and applies
// at every start. Packed, they take kilobytes; the gateway's resident memory drops accordingly
// (see docs/PERFORMANCE.md). The executables stay position-independent. They export no dynamic
// symbols (SwiftPM exports all of an executable's by default, for tests that import it): the
// gateway's 30 000 entries put 2.5 MB of symbol tables in its resident memory for nothing.
let compactRelocations: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "Loa",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "loactl", targets: ["loactl"]),
        .executable(name: "loa-gateway", targets: ["loa-gateway"]),
        .executable(name: "loa-controller", targets: ["loa-controller"]),
        .library(name: "LoaAudio", targets: ["LoaAudio"]),
        .library(name: "LoaProtocol", targets: ["LoaProtocol"]),
        .library(name: "LoaSchedule", targets: ["LoaSchedule"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        // Used by the API directly (graceful shutdown, HTTP field types), not only through Hummingbird.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // C libraries: module maps and one-line shims, nothing else.
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CLAME", pkgConfig: "lame", providers: [.apt(["libmp3lame-dev"])]),
        .systemLibrary(name: "CMPG123", pkgConfig: "libmpg123", providers: [.apt(["libmpg123-dev"])]),
        // The gateway's outbox uses the system SQLite directly: GRDB's code alone kept ~1.25 MB
        // resident in loa-gateway (docs/PERFORMANCE.md). The controller keeps GRDB.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // FFmpeg's libraries (libavformat, libavcodec, libswresample, libavutil) for upstream radio.
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswresample-dev", "libavutil-dev"])]),

        // eSpeak NG, the speech synthesizer behind bulletins typed as text (the controller only).
        .systemLibrary(name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),

        // The audio core: PCM, WAV, MP3 (LAME / mpg123 / frame parser), loudness, ALSA.
        .target(
            name: "LoaAudio",
            dependencies: ["CALSA", "CLAME", "CMPG123", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]
        ),

        // Upstream radio for relays ("tiếp sóng"): any stream, playlist or file FFmpeg reads, as
        // PCM. A target of its own so that the gateway never links FFmpeg.
        .target(name: "LoaUpstream", dependencies: ["CFFmpeg", "LoaAudio"]),

        // Speech from text (Vietnamese voices of eSpeak NG) as PCM, for bulletins typed in the
        // console or `loactl bulletins say`. A target of its own so that the gateway never links it.
        .target(name: "LoaSpeech", dependencies: ["CEspeakNG", "LoaAudio"]),

        // The gateway protocol: frames, messages, handshake, session state machines, NIO codecs.
        .target(
            name: "LoaProtocol",
            dependencies: [
                "LoaSchedule",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Schedules: model, recurrence expansion in local time, priority arbitration.
        .target(name: "LoaSchedule"),

        // The one daemon shell both daemons share: configuration keys and loader, --check-config,
        // a ServiceGroup with SIGTERM / SIGINT / SIGHUP, sd_notify and the watchdog.
        .target(
            name: "LoaService",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // The controller: store (SQLite via GRDB), fleet, ingest, API.
        .target(
            name: "LoaController",
            dependencies: [
                "LoaAudio", "LoaProtocol", "LoaSchedule", "LoaService", "LoaUpstream", "LoaSpeech",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.embedInCode("Console/Assets")]
        ),

        // The gateway: local state (schedule, content cache, outbox on the system SQLite), link, player, health.
        .target(
            name: "LoaGateway",
            dependencies: [
                "LoaAudio", "LoaProtocol", "LoaSchedule", "LoaService", "CSQLite",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(
            name: "loactl",
            dependencies: [
                "LoaAudio", "LoaGateway", "LoaSchedule",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "loa-gateway",
            dependencies: [
                "LoaAudio", "LoaProtocol", "LoaSchedule", "LoaGateway", "LoaService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: compactRelocations
        ),
        .executableTarget(
            name: "loa-controller",
            dependencies: [
                "LoaController", "LoaProtocol", "LoaSchedule", "LoaService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmark: a fleet of simulated gateways against a running controller (issue 14).
        .executableTarget(
            name: "loa-bench",
            dependencies: [
                "LoaProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),

        // Test-only: hammers the gateway's local state so a test can kill -9 it at random moments.
        .executableTarget(name: "loa-store-stress", dependencies: ["LoaGateway"]),

        // Test-only helpers shared by test targets (loopback ports for tests that start servers).
        .target(name: "LoaTestSupport", path: "Tests/LoaTestSupport"),
        .testTarget(name: "LoaUpstreamTests", dependencies: ["LoaUpstream", "LoaAudio", "LoaTestSupport"]),
        .testTarget(name: "LoaSpeechTests", dependencies: ["LoaSpeech", "LoaAudio"]),
        .testTarget(name: "LoaAudioTests", dependencies: ["LoaAudio", "loactl"]),
        .testTarget(
            name: "LoaProtocolTests",
            dependencies: [
                "LoaProtocol", "LoaTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "LoaScheduleTests", dependencies: ["LoaSchedule"]),
        .testTarget(name: "LoaServiceTests", dependencies: ["LoaService"]),
        .testTarget(
            name: "LoaGatewayTests",
            dependencies: [
                "LoaGateway", "loa-store-stress", "loa-gateway", "LoaAudio", "LoaProtocol", "LoaSchedule", "LoaService",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "LoaControllerTests",
            dependencies: [
                "LoaTestSupport",
                "LoaController", "loa-controller", "LoaAudio", "LoaProtocol", "LoaSchedule", "LoaService",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Whole-system scenarios: real loa-controller and loa-gateway processes on loopback,
        // ALSA file PCMs, the HTTP API.
        .testTarget(
            name: "LoaEndToEndTests",
            dependencies: ["loa-controller", "loa-gateway", "loactl", "LoaAudio", "LoaProtocol", "LoaTestSupport"]
        ),
    ]
)
