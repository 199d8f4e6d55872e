import CMediaShim
import COpus
import NIOCore

/// An owned libopus encoder (`OpusEncoder *`), destroyed on deinit.
///
/// Not `Sendable`: libopus encoders keep state between frames and must be used from one thread.
final class OpusAudioEncoder {
    /// Largest packet libopus produces for one frame is 1275 bytes; its documentation recommends
    /// 4000 bytes of output space.
    static let maximumPacketLength = 4000

    let channels: Int
    private let encoder: OpaquePointer

    /// Creates an encoder tuned for speech (`OPUS_APPLICATION_VOIP`), as WebRTC senders are.
    /// libopus accepts 8000, 12000, 16000, 24000 and 48000 Hz and 1 or 2 channels; anything else
    /// fails with its "invalid argument".
    init(sampleRate: Int, channels: Int) throws(CodecLibraryError) {
        let call = "opus_encoder_create(\(sampleRate) Hz, \(channels) channels)"
        guard let rate = Int32(exactly: sampleRate), let channelCount = Int32(exactly: channels) else {
            throw .opus(call, OPUS_BAD_ARG)
        }
        var error: Int32 = OPUS_OK
        let created = opus_encoder_create(rate, channelCount, OPUS_APPLICATION_VOIP, &error)
        guard error == OPUS_OK, let created else {
            if let created { opus_encoder_destroy(created) }
            throw .opus(call, error == OPUS_OK ? OPUS_ALLOC_FAIL : error)
        }
        self.channels = channels
        self.encoder = created
    }

    deinit {
        opus_encoder_destroy(encoder)
    }

    /// Target bitrate in bits per second (libopus accepts 500 to 512000).
    func setBitrate(_ bitsPerSecond: Int) throws(CodecLibraryError) {
        let result = cms_opus_set_bitrate(encoder, Int32(clamping: bitsPerSecond))
        guard result == OPUS_OK else { throw .opus("OPUS_SET_BITRATE(\(bitsPerSecond))", result) }
    }

    /// In-band forward error correction (`useinbandfec`).
    func setInbandFec(_ enabled: Bool) throws(CodecLibraryError) {
        let result = cms_opus_set_inband_fec(encoder, enabled ? 1 : 0)
        guard result == OPUS_OK else { throw .opus("OPUS_SET_INBAND_FEC(\(enabled))", result) }
    }

    /// Encodes one frame of interleaved 16-bit samples; `pcm.count / channels` must be a frame
    /// size libopus accepts (2.5 to 60 ms of samples). Returns the Opus packet.
    func encode(_ pcm: [Int16]) throws(CodecLibraryError) -> ByteBuffer {
        let frameSize = pcm.count / channels
        guard frameSize > 0, frameSize * channels == pcm.count else {
            throw .invalidConfiguration("\(pcm.count) samples are not a whole number of \(channels)-channel frames")
        }
        var packet = ByteBuffer()
        var result: Int32 = 0
        packet.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.maximumPacketLength) { output in
            // Both buffers are non-empty (checked above, reserved by ByteBuffer), so their base
            // addresses exist.
            result = pcm.withUnsafeBufferPointer { samples in
                opus_encode(encoder, samples.baseAddress!, Int32(frameSize),
                            output.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(Self.maximumPacketLength))
            }
            return max(0, Int(result))
        }
        guard result > 0 else { throw .opus("opus_encode(\(frameSize) samples per channel)", result) }
        return packet
    }
}
