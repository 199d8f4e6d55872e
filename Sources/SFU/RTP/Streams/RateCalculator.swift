import NIOCore

/// Bytes counted over a sliding time window, read as a bitrate; mediasoup's `RateCalculator`.
///
/// The window is split into equal buckets (20 by default, 50 ms each for one second; mediasoup
/// uses 100, but a rate is only read for statistics, and every bucket boundary a stream's
/// packets cross costs a write into memory of its own). A reading at `now` sums the bucket
/// holding `now` and the ones before it that together span ``window``, so data leaves the
/// window one bucket at a time. Updates and readings must come with non-decreasing `now`.
public struct RateCalculator: Sendable {
    public static let defaultWindow = TimeAmount.seconds(1)
    public static let defaultBucketCount = 20

    private struct Bucket: Sendable {
        var index: Int64
        var bytes: Int
    }

    /// The span the rate is averaged over.
    public let window: TimeAmount
    private let bucketNanoseconds: Int64
    private let bucketCount: Int
    /// Finished buckets. Allocated when the first bucket finishes: most calculators of a
    /// consumer's transport never count anything (receive and retransmission rates), and each
    /// costs ``bucketCount`` buckets.
    private var buckets: [Bucket] = []
    /// Bucket indices count from the first update.
    private var origin: NIODeadline?
    /// The bucket updates go to now, kept out of ``buckets`` until it ends: a packet costs an
    /// addition here, in memory the caller just touched, where a write into the bucket array
    /// of one consumer among hundreds is a cache miss.
    private var current = Bucket(index: -1, bytes: 0)
    private var currentEnd = NIODeadline.uptimeNanoseconds(0)

    /// - Parameters:
    ///   - window: positive (a smaller value is raised to 1 ns); mediasoup uses one second
    ///     for send streams and 2.5 s for received ones.
    ///   - bucketCount: resolution of the sliding; at least 1.
    public init(window: TimeAmount = defaultWindow, bucketCount: Int = defaultBucketCount) {
        let count = max(1, bucketCount)
        self.window = max(window, .nanoseconds(1))
        self.bucketNanoseconds = max(1, self.window.nanoseconds / Int64(count))
        self.bucketCount = count
    }

    /// Counts `bytes` sent or received at `now`.
    public mutating func update(bytes: Int, now: NIODeadline) {
        if now < currentEnd {
            current.bytes += bytes
            return
        }
        let origin = self.origin ?? now
        self.origin = origin
        if current.index >= 0 {
            if buckets.isEmpty { buckets = Array(repeating: Bucket(index: -1, bytes: 0), count: bucketCount) }
            buckets[Int(current.index % Int64(bucketCount))] = current
        }
        let index = bucketIndex(at: now, origin: origin)
        current = Bucket(index: index, bytes: bytes)
        currentEnd = origin + .nanoseconds((index + 1) * bucketNanoseconds)
    }

    /// The bitrate in bits per second over the window ending at `now`, rounded.
    public func rate(now: NIODeadline) -> UInt32 {
        guard let origin else { return 0 }
        let newest = bucketIndex(at: now, origin: origin)
        let window = (newest - Int64(bucketCount) + 1)...newest
        let finished = buckets.reduce(0) { sum, bucket in window.contains(bucket.index) ? sum + bucket.bytes : sum }
        let bytes = finished + (window.contains(current.index) ? current.bytes : 0)
        let bitsPerSecond = Double(bytes) * 8 * 1e9 / Double(self.window.nanoseconds)
        return bitsPerSecond >= Double(UInt32.max) ? .max : UInt32(bitsPerSecond.rounded())
    }

    private func bucketIndex(at now: NIODeadline, origin: NIODeadline) -> Int64 {
        max(0, (now - origin).nanoseconds / bucketNanoseconds)
    }
}
