#if canImport(Glibc)
import Glibc
#endif

/// CPU time (user + system) consumed by the calling thread, for charging work to one event loop.
enum ThreadCpuTime {
    static func now() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }

    /// CPU time consumed by every thread of this process: what the benchmark itself takes of the
    /// machine it shares with the server.
    static func process() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }
}
