#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// An Opus audio sender for tests and the benchmark: a continuous sine tone (440 Hz by default)
/// encoded with libopus in 20 ms frames, one RTP packet per frame (RFC 7587).
///
/// It has no clock: each ``nextPacket()`` call is the next 20 ms, 960 ticks later on the
/// 48 kHz RTP timeline; the caller paces the calls. The first packet carries the marker bit
/// (start of a talkspurt).
///
/// Not `Sendable`: it owns a libopus encoder; use it from one thread or task.
public final class SyntheticAudioSource {
    public struct Configuration: Sendable {
        /// 1 or 2; mediasoup announces Opus with 2 channels.
        public var channels: Int
        public var bitrate: Int
        public var toneFrequency: Double
        public var payloadType: UInt8
        public var ssrc: UInt32
        public var initialSequenceNumber: UInt16
        public var initialTimestamp: UInt32
        public var inbandFec: Bool

        /// Defaults: stereo 440 Hz tone at 48 kbit/s with in-band FEC, payload type 100 (Opus in
        /// mediasoup-demo's router), random SSRC, sequence number and timestamp.
        public init(
            channels: Int = 2,
            bitrate: Int = 48_000,
            toneFrequency: Double = 440,
            payloadType: UInt8 = 100,
            ssrc: UInt32 = .random(in: 1...UInt32.max),
            initialSequenceNumber: UInt16 = .random(in: 0...UInt16.max),
            initialTimestamp: UInt32 = .random(in: 0...UInt32.max),
            inbandFec: Bool = true
        ) {
            self.channels = channels
            self.bitrate = bitrate
            self.toneFrequency = toneFrequency
            self.payloadType = payloadType
            self.ssrc = ssrc
            self.initialSequenceNumber = initialSequenceNumber
            self.initialTimestamp = initialTimestamp
            self.inbandFec = inbandFec
        }
    }

    /// Opus' RTP clock rate, and the rate the tone is generated at.
    public static let sampleRate = 48_000
    /// 20 ms at 48 kHz.
    public static let samplesPerPacket = 960
    /// Peak amplitude of the tone, a little under -10 dBFS.
    static let amplitude = 0.3 * Double(Int16.max)

    public let configuration: Configuration
    /// Packets produced so far.
    public private(set) var packetCount = 0

    private let encoder: OpusAudioEncoder
    private var phase = 0.0

    /// Throws when libopus rejects the channel count or bitrate.
    public init(configuration: Configuration = Configuration()) throws(CodecLibraryError) {
        self.configuration = configuration
        encoder = try OpusAudioEncoder(sampleRate: Self.sampleRate, channels: configuration.channels)
        try encoder.setBitrate(configuration.bitrate)
        try encoder.setInbandFec(configuration.inbandFec)
    }

    /// Generates and encodes the next 20 ms of tone.
    public func nextPacket() throws(CodecLibraryError) -> RtpPacket {
        let channels = configuration.channels
        let step = 2 * Double.pi * configuration.toneFrequency / Double(Self.sampleRate)
        var pcm = [Int16](repeating: 0, count: Self.samplesPerPacket * channels)
        for index in 0..<Self.samplesPerPacket {
            let sample = Int16(Self.amplitude * sin(phase))
            for channel in 0..<channels { pcm[index * channels + channel] = sample }
            phase += step
            if phase >= 2 * Double.pi { phase -= 2 * Double.pi }
        }
        let payload = try encoder.encode(pcm)
        let packet = RtpPacket(
            payloadType: configuration.payloadType,
            sequenceNumber: configuration.initialSequenceNumber &+ UInt16(truncatingIfNeeded: packetCount),
            timestamp: configuration.initialTimestamp &+ UInt32(truncatingIfNeeded: packetCount * Self.samplesPerPacket),
            ssrc: configuration.ssrc,
            marker: packetCount == 0,
            payload: payload)
        packetCount += 1
        return packet
    }
}
