import NIOCore

/// A VP8 video sender for tests and the benchmark: renders ``SyntheticVideoPattern`` frames,
/// encodes them with libvpx (real-time, CBR) and packetizes them with ``Vp8Packetizer``.
///
/// It has no clock: each ``nextFrame()`` call is the next frame, 1/`frameRate` s after the
/// previous one on the 90 kHz RTP timeline; the caller paces the calls. The first frame is a
/// key frame, later ones are key frames when requested (``requestKeyFrame()``, what a PLI or
/// FIR asks of a sender) or every `keyFrameInterval` frames.
///
/// Frame `n` shows the pattern at phase = its PictureID, which is what lets
/// ``SyntheticVideoChecker`` compare a received picture with the one sent.
///
/// Not `Sendable`: it owns a libvpx encoder; use it from one thread or task.
public final class SyntheticVideoSource {
    public struct Configuration: Sendable {
        public var width: Int
        public var height: Int
        public var frameRate: Int
        public var bitrateKbps: Int
        public var payloadType: UInt8
        public var ssrc: UInt32
        /// Largest RTP payload, VP8 payload descriptor included.
        public var maxPayloadSize: Int
        public var initialSequenceNumber: UInt16
        public var initialTimestamp: UInt32
        public var initialPictureId: UInt16
        /// Frames between forced key frames; nil for key frames only first and on request.
        public var keyFrameInterval: Int?

        /// Defaults: 320x240 at 30 fps, 500 kbit/s, payload type 101 (VP8 in mediasoup-demo's
        /// router), 1100-byte payloads, random SSRC, sequence number, timestamp and PictureID as
        /// a real sender would pick.
        public init(
            width: Int = 320,
            height: Int = 240,
            frameRate: Int = 30,
            bitrateKbps: Int = 500,
            payloadType: UInt8 = 101,
            ssrc: UInt32 = .random(in: 1...UInt32.max),
            maxPayloadSize: Int = 1100,
            initialSequenceNumber: UInt16 = .random(in: 0...UInt16.max),
            initialTimestamp: UInt32 = .random(in: 0...UInt32.max),
            initialPictureId: UInt16 = .random(in: 0...0x7FFF),
            keyFrameInterval: Int? = nil
        ) {
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.bitrateKbps = bitrateKbps
            self.payloadType = payloadType
            self.ssrc = ssrc
            self.maxPayloadSize = maxPayloadSize
            self.initialSequenceNumber = initialSequenceNumber
            self.initialTimestamp = initialTimestamp
            self.initialPictureId = initialPictureId
            self.keyFrameInterval = keyFrameInterval
        }
    }

    /// One encoded frame and the packets carrying it.
    public struct Frame: Sendable {
        public var packets: [RtpPacket]
        public var isKeyFrame: Bool
        public var pictureId: UInt16
        public var timestamp: UInt32
        /// Size of the encoded VP8 frame, payload descriptors excluded.
        public var encodedSize: Int
    }

    /// The RTP clock rate of VP8.
    public static let clockRate = 90_000

    public let configuration: Configuration
    public let pattern: SyntheticVideoPattern
    /// Frames produced so far.
    public private(set) var frameCount = 0

    private let encoder: Vp8Encoder
    private let image: VpxImage
    private var packetizer: Vp8Packetizer
    private var keyFrameRequested = false

    /// Throws when libvpx rejects the settings (size, rate, bitrate) or the payload size
    /// leaves no room for frame data.
    public init(configuration: Configuration = Configuration()) throws(CodecLibraryError) {
        guard configuration.maxPayloadSize > Vp8Packetizer.descriptorLength else {
            throw .invalidConfiguration(
                "maxPayloadSize \(configuration.maxPayloadSize) leaves no room after the \(Vp8Packetizer.descriptorLength)-byte VP8 descriptor")
        }
        if let interval = configuration.keyFrameInterval, interval < 1 {
            throw .invalidConfiguration("keyFrameInterval \(interval) must be at least 1 frame")
        }
        self.configuration = configuration
        self.pattern = SyntheticVideoPattern(width: configuration.width, height: configuration.height)
        self.encoder = try Vp8Encoder(
            width: configuration.width, height: configuration.height, frameRate: configuration.frameRate,
            bitrateKbps: configuration.bitrateKbps)
        self.image = try VpxImage(width: configuration.width, height: configuration.height)
        self.packetizer = Vp8Packetizer(
            payloadType: configuration.payloadType, ssrc: configuration.ssrc, maxPayloadSize: configuration.maxPayloadSize,
            initialSequenceNumber: configuration.initialSequenceNumber, initialPictureId: configuration.initialPictureId)
    }

    /// Makes the next frame a key frame.
    public func requestKeyFrame() {
        keyFrameRequested = true
    }

    /// Renders, encodes and packetizes the next frame.
    public func nextFrame() throws(CodecLibraryError) -> Frame {
        let pictureId = packetizer.nextPictureId
        let timestamp = configuration.initialTimestamp
            &+ UInt32(truncatingIfNeeded: frameCount * Self.clockRate / configuration.frameRate)
        var forceKeyFrame = frameCount == 0 || keyFrameRequested
        if let interval = configuration.keyFrameInterval, frameCount % interval == 0 { forceKeyFrame = true }

        pattern.render(into: image, phase: Int(pictureId))
        let encoded = try encoder.encode(image, forceKeyFrame: forceKeyFrame)
        frameCount += 1

        var frame = Frame(packets: [], isKeyFrame: false, pictureId: pictureId, timestamp: timestamp, encodedSize: 0)
        for output in encoded {
            frame.packets += packetizer.packetize(frame: output.bytes, timestamp: timestamp)
            frame.isKeyFrame = frame.isKeyFrame || output.isKeyFrame
            frame.encodedSize += output.bytes.readableBytes
        }
        if frame.isKeyFrame { keyFrameRequested = false }
        return frame
    }
}
