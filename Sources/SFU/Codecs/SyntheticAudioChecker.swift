import NIOCore

/// The receiving end of ``SyntheticAudioSource``: decodes each Opus packet with libopus and
/// reports what arrived, so a test or the benchmark can tell that audio crossed the server
/// intact: every packet decodes to one 20 ms frame, timestamps advance 960 per packet, and the
/// decoded signal is still the tone (its frequency estimated from zero crossings).
///
/// Not `Sendable`: it owns a libopus decoder; use it from one thread or task.
public final class SyntheticAudioChecker {
    public struct Report: Sendable, Hashable {
        public var packetsReceived = 0
        /// Sequence numbers never received.
        public var lostPackets = 0
        /// Packets older than one already received (duplicates or reordered), not decoded.
        public var latePackets = 0
        public var packetsDecoded = 0
        /// Decoded packets whose length was not `samplesPerPacket` per channel.
        public var wrongLengthPackets = 0
        /// Packets whose timestamp did not advance `samplesPerPacket` per sequence number.
        public var timestampJumps = 0
        /// Every packet libopus refused, in order.
        public var decodeErrors: [CodecLibraryError] = []
        /// Tone frequency (Hz) on the first channel, from upward zero crossings of all decoded
        /// audio except the first packet after the start or a gap (the decoder ramps in there);
        /// nil until such audio arrived.
        public var estimatedToneFrequency: Double?

        /// Packets were decoded and nothing was lost, late, mis-sized, mis-timed or refused.
        public var isIntact: Bool {
            packetsDecoded > 0 && lostPackets == 0 && latePackets == 0 && wrongLengthPackets == 0
                && timestampJumps == 0 && decodeErrors.isEmpty
        }
    }

    public private(set) var report = Report()
    public let samplesPerPacket: Int

    private let decoder: OpusAudioDecoder
    private var lastSequenceNumber: UInt16?
    private var lastTimestamp: UInt32 = 0
    /// Zero-crossing counter with hysteresis: only swings past ±`crossingThreshold` count, so
    /// codec noise around zero does not.
    private var isAboveZero: Bool?
    private var upwardCrossings = 0
    private var measuredSamples = 0
    private static let crossingThreshold: Int16 = 1000

    /// - Parameters:
    ///   - channels: the decoder's output channels (the source's, normally).
    ///   - samplesPerPacket: expected samples per channel per packet: 960 for 20 ms at 48 kHz.
    public init(
        channels: Int = 2,
        sampleRate: Int = SyntheticAudioSource.sampleRate,
        samplesPerPacket: Int = SyntheticAudioSource.samplesPerPacket
    ) throws(CodecLibraryError) {
        decoder = try OpusAudioDecoder(sampleRate: sampleRate, channels: channels)
        self.samplesPerPacket = samplesPerPacket
    }

    /// Feeds the next received packet of the Opus stream.
    public func receive(_ packet: RtpPacket) {
        report.packetsReceived += 1
        let sequenceNumber = packet.sequenceNumber
        var isFirstAfterGap = lastSequenceNumber == nil
        if let last = lastSequenceNumber {
            let delta = Int16(bitPattern: sequenceNumber &- last)
            guard delta > 0 else {
                report.latePackets += 1
                return
            }
            if delta > 1 {
                report.lostPackets += Int(delta) - 1
                isFirstAfterGap = true
            }
            if packet.timestamp &- lastTimestamp != UInt32(truncatingIfNeeded: Int(delta) * samplesPerPacket) {
                report.timestampJumps += 1
            }
        }
        lastSequenceNumber = sequenceNumber
        lastTimestamp = packet.timestamp

        let pcm: [Int16]
        do {
            pcm = try decoder.decode(packet.payload)
        } catch {
            report.decodeErrors.append(error)
            isAboveZero = nil
            return
        }
        report.packetsDecoded += 1
        if pcm.count != samplesPerPacket * decoder.channels { report.wrongLengthPackets += 1 }
        if isFirstAfterGap {
            // The decoder's first output after a start or a gap ramps in; measure from the next.
            isAboveZero = nil
        } else {
            measureTone(pcm)
        }
    }

    private func measureTone(_ pcm: [Int16]) {
        let channels = decoder.channels
        for index in stride(from: 0, to: pcm.count, by: channels) {
            let sample = pcm[index]
            if sample > Self.crossingThreshold {
                if isAboveZero == false { upwardCrossings += 1 }
                isAboveZero = true
            } else if sample < -Self.crossingThreshold {
                isAboveZero = false
            }
        }
        measuredSamples += pcm.count / channels
        report.estimatedToneFrequency = Double(upwardCrossings) * Double(decoder.sampleRate) / Double(measuredSamples)
    }
}
