import XCTest
@testable import SFU

/// The send-side estimate against a simulated path: a bottleneck of a given capacity with a
/// drop-tail queue, a receiver that answers with real transport-cc feedback every 100 ms, and
/// a sender that sends what the estimate allows (up to what it wants) plus the probes asked for.
final class SendSideBandwidthEstimatorTests: XCTestCase {
    private struct Path {
        var capacity: Double
        var propagation: Int64 = 20_000
        /// The queue holds at most this much delay; packets beyond it are dropped.
        var maximumQueueDelay: Int64 = 300_000
        var lastDeparture: Int64 = 0
        var lost = 0

        /// When a packet sent at `time` arrives, nil if the queue drops it.
        mutating func deliver(size: Int, at time: Int64) -> Int64? {
            let start = max(time, lastDeparture)
            guard start - time <= maximumQueueDelay else {
                lost += 1
                return nil
            }
            lastDeparture = start + Int64(Double(size * 8) / capacity * 1_000_000)
            return lastDeparture + propagation
        }
    }

    private struct Simulation {
        var estimator = SendSideBandwidthEstimator()
        var path: Path
        var receiver = TransportCcFeedbackGenerator()
        var desired: Double
        var now: Int64 = 0
        var mediaBudget = 0.0
        var probe: (cluster: ProbeCluster, start: Int64, sentBytes: Int)?
        var arrivals: [(time: Int64, sequenceNumber: UInt16)] = []
        var feedbackInFlight: [(time: Int64, feedback: TransportWideCcFeedback)] = []
        var nextFeedback: Int64 = 100_000
        var probesSent = 0

        init(capacity: Double, desired: Double) {
            path = Path(capacity: capacity)
            self.desired = desired
        }

        mutating func send(size: Int, probeClusterId: Int? = nil) {
            let sequenceNumber = estimator.packetSent(size: size, probeClusterId: probeClusterId, now: now)
            if let arrival = path.deliver(size: size, at: now) { arrivals.append((arrival, sequenceNumber)) }
        }

        /// Runs in 5 ms steps until `end` (µs).
        mutating func run(until end: Int64) {
            while now < end {
                now += 5_000
                mediaBudget += min(Double(estimator.availableBitrate), desired) / 8 * 0.005
                while mediaBudget >= 1200 {
                    mediaBudget -= 1200
                    send(size: 1200)
                }
                if probe == nil, let cluster = estimator.probe(desiredBitrate: Int(desired), now: now) {
                    probe = (cluster, now, 0)
                    probesSent += 1
                }
                if let current = probe {
                    let elapsed = now - current.start + 5_000
                    let due = Int(current.cluster.bitrate / 8 * Double(elapsed) / 1_000_000) - current.sentBytes
                    var sent = 0
                    while sent + 255 <= due {
                        send(size: 255, probeClusterId: current.cluster.id)
                        sent += 255
                    }
                    probe?.sentBytes += sent
                    if elapsed >= ProbeCluster.duration { probe = nil }
                }
                let arrived = arrivals.filter { $0.time <= now }
                arrivals.removeAll { $0.time <= now }
                for arrival in arrived {
                    receiver.packetArrived(sequenceNumber: arrival.sequenceNumber, ssrc: 1, arrivalTime: arrival.time)
                }
                if now >= nextFeedback {
                    nextFeedback += 100_000
                    for feedback in receiver.takeFeedback(senderSsrc: 2) {
                        feedbackInFlight.append((now + path.propagation, feedback))
                    }
                }
                for (_, feedback) in feedbackInFlight.filter({ $0.time <= now }) {
                    estimator.receiveFeedback(feedback, now: now)
                }
                feedbackInFlight.removeAll { $0.time <= now }
            }
        }
    }

    func testProbesUpToWhatTheConsumersWantWhenThePathCarriesIt() {
        var simulation = Simulation(capacity: 5_000_000, desired: 2_500_000)
        simulation.run(until: 8_000_000)
        XCTAssertGreaterThan(simulation.probesSent, 0)
        XCTAssertGreaterThanOrEqual(simulation.estimator.availableBitrate, 2_500_000)
        XCTAssertLessThan(simulation.estimator.availableBitrate, 6_000_000)
        XCTAssertEqual(simulation.path.lost, 0)
    }

    func testSettlesBelowANarrowPath() {
        var simulation = Simulation(capacity: 400_000, desired: 2_500_000)
        simulation.run(until: 20_000_000)
        XCTAssertGreaterThan(simulation.estimator.availableBitrate, 200_000)
        XCTAssertLessThan(simulation.estimator.availableBitrate, 480_000)
    }

    /// Down with the path, loss included; back up by probes (not 8% a second) once it widens.
    func testFollowsThePathDownAndBackUp() {
        var simulation = Simulation(capacity: 3_000_000, desired: 2_000_000)
        simulation.run(until: 10_000_000)
        XCTAssertGreaterThanOrEqual(simulation.estimator.availableBitrate, 1_800_000)
        simulation.path.capacity = 600_000
        simulation.run(until: 16_000_000)
        XCTAssertLessThan(simulation.estimator.availableBitrate, 720_000)
        XCTAssertGreaterThan(simulation.estimator.availableBitrate, 200_000)
        XCTAssertGreaterThan(simulation.path.lost, 0, "the narrowing cost no loss: the loss limit went untested")
        simulation.path.capacity = 3_000_000
        simulation.run(until: 26_000_000)
        XCTAssertGreaterThanOrEqual(simulation.estimator.availableBitrate, 1_800_000)
    }

    func testDoesNotProbeWhenTheEstimateCoversWhatIsWanted() {
        var simulation = Simulation(capacity: 5_000_000, desired: 300_000)
        simulation.run(until: 10_000_000)
        XCTAssertEqual(simulation.probesSent, 0)
        XCTAssertGreaterThanOrEqual(simulation.estimator.availableBitrate, 300_000)
    }

    /// Feedback from a peer that makes things up (random statuses and arrival times) moves the
    /// estimate only within its bounds.
    func testNonsenseFeedbackKeepsTheEstimateInBounds() throws {
        var generator = SystemRandomNumberGenerator()
        var estimator = SendSideBandwidthEstimator()
        var now: Int64 = 0
        for round in 0..<300 {
            var first: UInt16 = 0
            for index in 0..<20 {
                now += Int64.random(in: 0...20_000, using: &generator)
                let sequenceNumber = estimator.packetSent(size: Int.random(in: 0...1500, using: &generator), now: now)
                if index == 0 { first = sequenceNumber }
            }
            var arrival = Int64.random(in: -1_000_000...1_000_000, using: &generator)
            let packets: [(sequenceNumber: UInt16, arrivalTime: Int64?)] = (0..<Int.random(in: 1...40, using: &generator)).map { offset in
                arrival += Int64.random(in: -8_000...8_000, using: &generator) * 250
                return (first &+ UInt16(offset), Bool.random(using: &generator) ? arrival : nil)
            }
            guard let feedback = try? TransportWideCcFeedback(
                senderSsrc: 1, mediaSsrc: 2, feedbackPacketCount: UInt8(truncatingIfNeeded: round), packets: packets)
            else { continue }
            estimator.receiveFeedback(feedback, now: now)
            XCTAssertGreaterThanOrEqual(estimator.availableBitrate, SendSideBandwidthEstimator.minimumBitrate)
            XCTAssertLessThanOrEqual(estimator.availableBitrate, SendSideBandwidthEstimator.unlimitedBitrate)
            _ = estimator.probe(desiredBitrate: 5_000_000, now: now)
        }
    }
}
