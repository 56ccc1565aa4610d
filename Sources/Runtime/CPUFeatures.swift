import CBLAS
import Foundation

/// What the CPU offers, as Linux reports it in `/proc/cpuinfo`.
public struct CPUFeatures: Sendable, Equatable {
    /// The `flags` of the first processor (`avx2`, `avx512f`, ...).
    public var flags: Set<String>

    public init(flags: Set<String>) { self.flags = flags }

    /// The flags of this machine; empty where `/proc/cpuinfo` does not exist (macOS, containers without /proc).
    public static let current: CPUFeatures = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return CPUFeatures(flags: [])
        }
        return CPUFeatures(cpuinfo: text)
    }()

    /// Parses the first `flags` line of a `/proc/cpuinfo` text.
    public init(cpuinfo: String) {
        let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }
        let list = line.flatMap { $0.split(separator: ":", maxSplits: 1).last } ?? ""
        flags = Set(list.split(separator: " ").map(String.init))
    }

    /// Whether the kernel lets programs use AVX-512 (it hides the flag when the OS does not save zmm state).
    public var hasAVX512: Bool { flags.contains("avx512f") }

    /// Whether the CPU has every instruction set extension of Intel Haswell that a compiler targeting it may use
    /// (AVX2, FMA, BMI1/2, LZCNT, MOVBE, F16C, POPCNT): the level the `AVX2Kernels` module is compiled for.
    public var hasHaswellInstructions: Bool {
        ["avx", "avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c", "popcnt", "sse4_2"].allSatisfy(flags.contains)
    }

    /// Whether the CPU also has the AVX-512 subsets of Intel Skylake-SP (F, CD, BW, DQ, VL), which every AVX-512
    /// CPU since has: the level the `AVX512Kernels` module is compiled for.
    public var hasAVX512Instructions: Bool {
        hasHaswellInstructions
            && ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    }
}

/// Chooses OpenBLAS's kernels on CPUs its own detection gets wrong.
///
/// OpenBLAS 0.3.21 (Debian 12) does not recognise some AVX-512 CPUs and falls back to generic kernels that run
/// sgemm about 7× slower (NOTES-GL.md). It reads `OPENBLAS_CORETYPE` only while the library loads, which is
/// before `main`, so Strata re-runs OpenBLAS's own selection (`gotoblas_dynamic_init`, exported by its
/// DYNAMIC_ARCH builds) once, before the first BLAS call. A value the user set is always respected, and
/// builds without dynamic dispatch are left alone.
public enum OpenBLASCore {
    /// The kernels OpenBLAS uses now (`SkylakeX`, `Haswell`, `Prescott`, ...).
    public static var name: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// Core names whose sgemm uses AVX-512.
    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]

    /// The core type to force, or `nil` to keep OpenBLAS's choice. Pure, for tests.
    public static func override(features: CPUFeatures, environmentValue: String?, currentCore: String) -> String? {
        if let value = environmentValue, !value.isEmpty { return nil }
        guard features.hasAVX512, !avx512Cores.contains(currentCore.lowercased()) else { return nil }
        return "SkylakeX"
    }

    /// Applies `override(...)` to this process once; later calls return the first result. Returns the core name.
    @discardableResult
    public static func selectFastKernels() -> String { selection }

    private static let selection: String = {
        OpenBLASThreads.stop()
        let env = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
        guard let forced = override(features: .current, environmentValue: env, currentCore: name) else { return name }
        typealias VoidFunction = @convention(c) () -> Void
        guard let initSymbol = dlsym(nil, "gotoblas_dynamic_init"), let quitSymbol = dlsym(nil, "gotoblas_dynamic_quit")
        else { return name }
        setenv("OPENBLAS_CORETYPE", forced, 1)
        unsafeBitCast(quitSymbol, to: VoidFunction.self)()
        unsafeBitCast(initSymbol, to: VoidFunction.self)()
        return name
    }()
}
