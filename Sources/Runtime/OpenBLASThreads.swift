import CBLAS
import Foundation

/// Stops OpenBLAS's own worker threads: Strata splits products over its own threads (`BLAS.swift`) and calls
/// OpenBLAS on one thread.
///
/// OpenBLAS's pthreads builds start one server thread per further core while the library loads, before `main`,
/// and each spins in `sched_yield` for about 2^28 cycles (a tenth of a second) before it sleeps. On two cores a
/// short benchmark ran entirely inside that spin: over `strata bench` of resnet_small with 30 runs, the spinning
/// thread took as many samples as Strata's own worker. Setting one thread does not stop threads that exist, so
/// they are shut down (`blas_thread_shutdown_`, looked up at run time: OpenMP and serial builds differ).
enum OpenBLASThreads {
    /// Sets OpenBLAS to one thread and shuts its server threads down, once per process.
    static func stop() { _ = stopped }

    private static let stopped: Void = {
        openblas_set_num_threads(1)
        typealias Shutdown = @convention(c) () -> Int32
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
    }()
}
