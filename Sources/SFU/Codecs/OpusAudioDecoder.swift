import COpus
import NIOCore

/// An owned libopus decoder (`OpusDecoder *`), destroyed on deinit.
///
/// Not `Sendable`: libopus decoders keep state between packets and must be used from one thread.
final class OpusAudioDecoder {
    /// 120 ms at 48 kHz, the longest an Opus packet can last.
    static let maximumSamplesPerChannel = 5760

    let sampleRate: Int
    let channels: Int
    private let decoder: OpaquePointer

    init(sampleRate: Int, channels: Int) throws(CodecLibraryError) {
        let call = "opus_decoder_create(\(sampleRate) Hz, \(channels) channels)"
        guard let rate = Int32(exactly: sampleRate), let channelCount = Int32(exactly: channels) else {
            throw .opus(call, OPUS_BAD_ARG)
        }
        var error: Int32 = OPUS_OK
        let created = opus_decoder_create(rate, channelCount, &error)
        guard error == OPUS_OK, let created else {
            if let created { opus_decoder_destroy(created) }
            throw .opus(call, error == OPUS_OK ? OPUS_ALLOC_FAIL : error)
        }
        self.sampleRate = sampleRate
        self.channels = channels
        self.decoder = created
    }

    deinit {
        opus_decoder_destroy(decoder)
    }

    /// Decodes one Opus packet into interleaved 16-bit samples (`channels` per sample instant).
    func decode(_ packet: ByteBuffer) throws(CodecLibraryError) -> [Int16] {
        let capacity = Self.maximumSamplesPerChannel * channels
        var samplesPerChannel: Int32 = 0
        let pcm = [Int16](unsafeUninitializedCapacity: capacity) { output, initialized in
            // `capacity` is positive, so the output buffer has a base address.
            samplesPerChannel = packet.withUnsafeReadableBytes { bytes in
                opus_decode(decoder, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(bytes.count),
                            output.baseAddress!, Int32(Self.maximumSamplesPerChannel), 0)
            }
            initialized = Int(max(0, samplesPerChannel)) * channels
        }
        guard samplesPerChannel >= 0 else { throw .opus("opus_decode(\(packet.readableBytes) bytes)", samplesPerChannel) }
        return pcm
    }
}
