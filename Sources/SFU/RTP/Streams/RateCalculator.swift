import NIOCore

/// Bytes counted over a sliding time window, read as a bitrate; mediasoup's `RateCalculator`.
///
/// The window is split into equal buckets (100 by default, 10 ms each for one second). A
/// reading at `now` sums the bucket holding `now` and the ones before it that together span
/// ``window``, so data leaves the window one bucket at a time. Updates and readings must come
/// with non-decreasing `now`; bytes reported for a bucket already slid out are ignored.
public struct RateCalculator: Sendable {
    public static let defaultWindow = TimeAmount.seconds(1)
    public static let defaultBucketCount = 100

    private struct Bucket: Sendable {
        var index: Int64
        var bytes: Int
    }

    /// The span the rate is averaged over.
    public let window: TimeAmount
    private let bucketNanoseconds: Int64
    private let bucketCount: Int
    /// Allocated by the first update: most calculators of a consumer's transport never count
    /// anything (receive and retransmission rates), and each costs ``bucketCount`` buckets.
    private var buckets: [Bucket] = []
    /// Bucket indices count from the first update.
    private var origin: NIODeadline?

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
        guard let origin else {
            origin = now
            buckets = Array(repeating: Bucket(index: -1, bytes: 0), count: bucketCount)
            buckets[0] = Bucket(index: 0, bytes: bytes)
            return
        }
        let index = bucketIndex(at: now, origin: origin)
        let slot = Int(index % Int64(buckets.count))
        if buckets[slot].index < index {
            buckets[slot] = Bucket(index: index, bytes: 0)
        }
        guard buckets[slot].index == index else { return }
        buckets[slot].bytes += bytes
    }

    /// The bitrate in bits per second over the window ending at `now`, rounded.
    public func rate(now: NIODeadline) -> UInt32 {
        guard let origin else { return 0 }
        let newest = bucketIndex(at: now, origin: origin)
        let oldest = newest - Int64(bucketCount) + 1
        let bytes = buckets.reduce(0) { sum, bucket in
            (oldest...newest).contains(bucket.index) ? sum + bucket.bytes : sum
        }
        let bitsPerSecond = Double(bytes) * 8 * 1e9 / Double(window.nanoseconds)
        return bitsPerSecond >= Double(UInt32.max) ? .max : UInt32(bitsPerSecond.rounded())
    }

    private func bucketIndex(at now: NIODeadline, origin: NIODeadline) -> Int64 {
        max(0, (now - origin).nanoseconds / bucketNanoseconds)
    }
}
