import CMediaShim
import CVPX
import NIOCore

/// An owned libvpx VP8 encoder context, set up for real-time constant-bitrate video the way
/// libwebrtc sets it up (no lag, no frame dropping, one thread), destroyed on deinit.
///
/// Key frames are produced only for the first frame and on request (``encode(_:forceKeyFrame:)``),
/// as a sender answering PLI/FIR does.
///
/// Not `Sendable`: the context keeps encoder state and must be used from one thread.
final class Vp8Encoder {
    /// One compressed VP8 frame.
    struct EncodedFrame {
        var bytes: ByteBuffer
        var isKeyFrame: Bool
    }

    let width: Int
    let height: Int
    private let context: UnsafeMutablePointer<vpx_codec_ctx_t>
    private var framesEncoded: Int64 = 0

    /// libvpx's speed/quality trade-off (-16...16): libwebrtc's choice at low resolutions.
    private static let cpuUsed: Int32 = -6

    /// - Parameter bitrateKbps: CBR target in kbit/s.
    init(width: Int, height: Int, frameRate: Int, bitrateKbps: Int) throws(CodecLibraryError) {
        guard let w = UInt32(exactly: width), let h = UInt32(exactly: height), w > 0, h > 0 else {
            throw .invalidConfiguration("VP8 frame size \(width)x\(height) must be positive")
        }
        guard let rate = Int32(exactly: frameRate), rate > 0 else {
            throw .invalidConfiguration("VP8 frame rate \(frameRate) must be positive")
        }
        guard let bitrate = UInt32(exactly: bitrateKbps), bitrate > 0 else {
            throw .invalidConfiguration("VP8 bitrate \(bitrateKbps) kbit/s must be positive")
        }
        let interface = vpx_codec_vp8_cx()
        var config = vpx_codec_enc_cfg_t()
        let defaults = vpx_codec_enc_config_default(interface, &config, 0)
        guard defaults == VPX_CODEC_OK else { throw .vpx("vpx_codec_enc_config_default", defaults) }
        config.g_w = w
        config.g_h = h
        config.g_timebase = vpx_rational_t(num: 1, den: rate)
        config.g_threads = 1
        config.g_lag_in_frames = 0
        config.g_error_resilient = vpx_codec_er_flags_t(VPX_ERROR_RESILIENT_DEFAULT)
        config.rc_end_usage = VPX_CBR
        config.rc_target_bitrate = bitrate
        config.rc_dropframe_thresh = 0
        config.rc_min_quantizer = 2
        config.rc_max_quantizer = 56
        config.rc_undershoot_pct = 100
        config.rc_overshoot_pct = 15
        config.rc_buf_initial_sz = 500
        config.rc_buf_optimal_sz = 600
        config.rc_buf_sz = 1000
        config.kf_mode = VPX_KF_DISABLED

        let context = UnsafeMutablePointer<vpx_codec_ctx_t>.allocate(capacity: 1)
        context.initialize(to: vpx_codec_ctx_t())
        let initialized = vpx_codec_enc_init_ver(context, interface, &config, 0, cms_vpx_encoder_abi_version())
        guard initialized == VPX_CODEC_OK else {
            let error = CodecLibraryError.vpx("vpx_codec_enc_init_ver(VP8 \(width)x\(height))", initialized, context: context)
            context.deallocate()
            throw error
        }
        let speed = cms_vpx_set_cpu_used(context, Self.cpuUsed)
        guard speed == VPX_CODEC_OK else {
            let error = CodecLibraryError.vpx("VP8E_SET_CPUUSED(\(Self.cpuUsed))", speed, context: context)
            vpx_codec_destroy(context)
            context.deallocate()
            throw error
        }
        self.width = width
        self.height = height
        self.context = context
    }

    deinit {
        vpx_codec_destroy(context)
        context.deallocate()
    }

    /// Encodes `image` as the next frame (one frame duration after the previous one) and returns
    /// what the encoder produced for it: one frame with the settings above.
    func encode(_ image: VpxImage, forceKeyFrame: Bool) throws(CodecLibraryError) -> [EncodedFrame] {
        guard image.width == width, image.height == height else {
            throw .invalidConfiguration("image \(image.width)x\(image.height) differs from the encoder's \(width)x\(height)")
        }
        let flags = forceKeyFrame ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
        let result = vpx_codec_encode(context, image.pointer, framesEncoded, 1, flags, UInt(VPX_DL_REALTIME))
        guard result == VPX_CODEC_OK else { throw .vpx("vpx_codec_encode", result, context: context) }
        framesEncoded += 1

        var frames: [EncodedFrame] = []
        var iterator: vpx_codec_iter_t?
        while let packet = vpx_codec_get_cx_data(context, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let frame = packet.pointee.data.frame
            guard let data = frame.buf, frame.sz > 0 else { continue }
            var bytes = ByteBuffer()
            bytes.writeBytes(UnsafeRawBufferPointer(start: data, count: frame.sz))
            frames.append(EncodedFrame(bytes: bytes, isKeyFrame: frame.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY) != 0))
        }
        return frames
    }
}
