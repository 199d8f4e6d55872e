import Foundation
import Prometheus
import Synchronization

/// The standard Prometheus `process_*` metrics for this process, read from `/proc/self` when
/// `/metrics` is scraped. (swift-metrics and swift-prometheus ship no process collector.)
final class ProcessMetrics: Sendable {
    private let cpuSeconds: Counter
    /// The CPU time the counter has reached: each scrape adds what was spent since.
    private let cpuSecondsCounted = Mutex<Double>(0)
    private let residentBytes: Gauge
    private let virtualBytes: Gauge
    private let openDescriptors: Gauge
    private let maxDescriptors: Gauge
    private let startTime: Gauge

    init(registry: PrometheusCollectorRegistry) {
        cpuSeconds = registry.makeCounter(descriptor: .init(namespace: "process", metricName: "cpu_seconds", unitName: "total", helpText: "User and system CPU time spent, in seconds"))
        residentBytes = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "resident_memory", unitName: "bytes", helpText: "Resident memory size in bytes"))
        virtualBytes = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "virtual_memory", unitName: "bytes", helpText: "Virtual memory size in bytes"))
        openDescriptors = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "open", unitName: "fds", helpText: "Number of open file descriptors"))
        maxDescriptors = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "max", unitName: "fds", helpText: "Maximum number of open file descriptors"))
        startTime = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "start_time", unitName: "seconds", helpText: "Start time of the process since the Unix epoch, in seconds"))
        startTime.set(Date().timeIntervalSince1970 - ProcessInfo.processInfo.systemUptime + Self.startSecondsAfterBoot())
    }

    func update() {
        if let stat = Self.statFields() {
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            // Fields 14 and 15 (utime, stime) are at indices 11 and 12 after the command name.
            if stat.count > 20, let user = Double(stat[11]), let system = Double(stat[12]) {
                let total = (user + system) / ticks
                let spent = cpuSecondsCounted.withLock { counted in
                    defer { counted = max(counted, total) }
                    return total - counted
                }
                if spent > 0 { cpuSeconds.increment(by: spent) }
            }
            if stat.count > 21, let virtual = Double(stat[20]), let pages = Double(stat[21]) {
                virtualBytes.set(virtual)
                residentBytes.set(pages * Double(sysconf(Int32(_SC_PAGESIZE))))
            }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openDescriptors.set(Double(descriptors.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            maxDescriptors.set(Double(limit.rlim_cur))
        }
    }

    /// Fields of `/proc/self/stat` after the parenthesised command name (which may hold spaces).
    private static func statFields() -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    private static func startSecondsAfterBoot() -> Double {
        guard let fields = statFields(), fields.count > 19, let ticks = Double(fields[19]) else { return 0 }
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
