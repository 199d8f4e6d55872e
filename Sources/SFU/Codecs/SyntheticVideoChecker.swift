import NIOCore

/// The receiving end of ``SyntheticVideoSource``: reassembles VP8 frames with
/// ``Vp8Depacketizer``, decodes them with libvpx and reports what arrived, so a test or the
/// benchmark can tell that video crossed the server intact.
///
/// It decodes as a real receiver would: nothing before the first key frame, and after any loss
/// nothing until the next key frame (``isWaitingForKeyFrame`` is then the cue to send a PLI).
/// With a `reference` pattern, each decoded picture is also compared with the picture the source
/// rendered for its PictureID (see ``SyntheticVideoPattern/lumaPsnr(_:phase:)``); that holds as
/// long as the path does not rewrite PictureIDs.
///
/// Not `Sendable`: it owns a libvpx decoder; use it from one thread or task.
public final class SyntheticVideoChecker {
    public struct Report: Sendable, Hashable {
        public var packetsReceived = 0
        public var lostPackets = 0
        /// Frames delivered by the depacketizer and decoded without error.
        public var framesDecoded = 0
        public var keyFramesDecoded = 0
        /// Frames the depacketizer could not complete.
        public var framesDropped = 0
        /// Complete frames not decoded because the decoder was waiting for a key frame.
        public var framesSkipped = 0
        /// Size of the last decoded picture.
        public var width: Int?
        public var height: Int?
        /// Lowest luma PSNR (dB) of a decoded picture against the reference pattern.
        public var minimumLumaPsnr: Double?
        /// Every incomplete frame, in order.
        public var drops: [Vp8Depacketizer.Drop] = []
        /// Every frame libvpx refused, in order.
        public var decodeErrors: [CodecLibraryError] = []

        /// Frames were decoded and nothing was lost, dropped, skipped or refused.
        public var isIntact: Bool {
            framesDecoded > 0 && lostPackets == 0 && framesDropped == 0 && framesSkipped == 0 && decodeErrors.isEmpty
        }
    }

    public private(set) var report = Report()
    /// The decoder needs a key frame before it can show anything again.
    public private(set) var isWaitingForKeyFrame = true

    private let reference: SyntheticVideoPattern?
    private let decoder: Vp8Decoder
    private var depacketizer = Vp8Depacketizer()

    public init(reference: SyntheticVideoPattern? = nil) throws(CodecLibraryError) {
        self.reference = reference
        decoder = try Vp8Decoder()
    }

    /// Feeds the next received packet of the VP8 stream.
    public func receive(_ packet: RtpPacket) {
        let output = depacketizer.push(packet)
        report.packetsReceived = depacketizer.statistics.packets
        report.lostPackets = depacketizer.statistics.lostPackets
        report.framesDropped = depacketizer.statistics.framesDropped
        if !output.drops.isEmpty {
            report.drops += output.drops
            isWaitingForKeyFrame = true
        }
        if let frame = output.frame { decode(frame) }
    }

    private func decode(_ frame: Vp8Depacketizer.Frame) {
        if frame.followsLoss { isWaitingForKeyFrame = true }
        guard frame.isKeyFrame || !isWaitingForKeyFrame else {
            report.framesSkipped += 1
            return
        }
        let picture: Vp8Decoder.DecodedFrame?
        do {
            picture = try decoder.decode(frame.bytes)
        } catch {
            report.decodeErrors.append(error)
            isWaitingForKeyFrame = true
            return
        }
        isWaitingForKeyFrame = false
        report.framesDecoded += 1
        if frame.isKeyFrame { report.keyFramesDecoded += 1 }
        guard let picture else { return }
        report.width = picture.width
        report.height = picture.height
        if let reference, let pictureId = frame.pictureId, picture.width == reference.width, picture.height == reference.height {
            let psnr = reference.lumaPsnr(picture.luma, phase: Int(pictureId))
            report.minimumLumaPsnr = min(report.minimumLumaPsnr ?? psnr, psnr)
        }
    }
}
