// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "strata", targets: ["strata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: - System libraries (module map + shim header only)
        .systemLibrary(name: "CGLFW", pkgConfig: "glfw3", providers: [.apt(["libglfw3-dev"])]),
        .systemLibrary(name: "CGL", pkgConfig: "gl", providers: [.apt(["libgl-dev"])]),
        .systemLibrary(name: "CEGL", pkgConfig: "egl", providers: [.apt(["libegl-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        // A header of inline C only: a prefetch, which Swift cannot express.
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),

        // MARK: - Modules, in the one-way order of DESIGN.md
        .target(name: "StrataCore"),
        .target(
            name: "ONNXImport",
            dependencies: ["StrataCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .target(
            name: "KerasImport",
            dependencies: ["StrataCore", "CHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "ModelLoading", dependencies: ["StrataCore", "ONNXImport", "KerasImport"]),
        // Compiled for Haswell's instruction set (AVX2, FMA); Runtime calls it only on CPUs that have it.
        .target(
            name: "AVX2Kernels", dependencies: ["CPrefetch"],
            swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]
        ),
        // Compiled for Skylake-AVX512's instruction set; Runtime calls it only on CPUs that have it.
        .target(
            name: "AVX512Kernels", dependencies: ["AVX2Kernels", "CPrefetch"],
            swiftSettings: [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
        ),
        .target(
            name: "Runtime",
            dependencies: ["StrataCore", "CBLAS", "CPNG", "CPrefetch", "AVX2Kernels", "AVX512Kernels"]
        ),
        .target(name: "Scene", dependencies: ["StrataCore", "Runtime"]),
        .target(
            name: "Snapshot",
            dependencies: [
                "StrataCore", "ModelLoading", "Runtime", "Scene",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(name: "GLRenderer", dependencies: ["Scene", "CGL", "CEGL", "CPNG", "CFreeType"]),
        .target(name: "UI", dependencies: ["GLRenderer", "Scene", "Runtime", "StrataCore", "ModelLoading"]),
        .target(
            name: "Viewer",
            dependencies: ["StrataCore", "ModelLoading", "Runtime", "Scene", "Snapshot", "GLRenderer", "UI", "CGLFW"]
        ),
        .executableTarget(
            name: "strata",
            dependencies: [
                "StrataCore", "ModelLoading", "Runtime", "Scene", "Snapshot", "GLRenderer", "Viewer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests (one target per module; fixtures under Tests/Fixtures)
        .testTarget(name: "StrataCoreTests", dependencies: ["StrataCore"]),
        .testTarget(name: "ONNXImportTests", dependencies: ["ONNXImport", "StrataCore"], exclude: ["Fixtures"]),
        .testTarget(
            name: "KerasImportTests",
            dependencies: ["KerasImport", "StrataCore", "Runtime", .product(name: "ZIPFoundation", package: "ZIPFoundation")], exclude: ["Fixtures"]
        ),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "StrataCore", "ModelLoading", "ONNXImport"], exclude: ["Fixtures"]),
        .testTarget(name: "AVX2KernelsTests", dependencies: ["AVX2Kernels", "Runtime"]),
        .testTarget(name: "AVX512KernelsTests", dependencies: ["AVX512Kernels", "AVX2Kernels", "Runtime"]),
        .testTarget(name: "SceneTests", dependencies: ["Scene", "Runtime", "StrataCore", "ModelLoading"]),
        .testTarget(
            name: "SnapshotTests",
            dependencies: ["Snapshot", "Runtime", "Scene", "StrataCore", "ModelLoading",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(name: "GLRendererTests", dependencies: ["GLRenderer", "Scene", "StrataCore"]),
        .testTarget(name: "ViewerTests", dependencies: ["Viewer", "Scene", "GLRenderer", "UI", "Snapshot", "StrataCore"]),
        .testTarget(name: "UITests", dependencies: ["UI", "GLRenderer", "Scene", "StrataCore"]),
        .testTarget(name: "CLITests", dependencies: ["StrataCore"]),
    ],
    swiftLanguageModes: [.v5]
)
