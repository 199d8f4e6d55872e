import CMediaShim
import CVPX
import NIOCore

/// An owned libvpx VP8 decoder context, destroyed on deinit.
///
/// Not `Sendable`: the context keeps reference frames and must be used from one thread.
final class Vp8Decoder {
    /// A decoded picture's size and its luma plane, copied out of the decoder (which reuses its
    /// image buffers on the next call).
    struct DecodedFrame {
        var width: Int
        var height: Int
        /// `width * height` luma samples, row by row, without stride padding.
        var luma: [UInt8]
    }

    private let context: UnsafeMutablePointer<vpx_codec_ctx_t>

    init() throws(CodecLibraryError) {
        let context = UnsafeMutablePointer<vpx_codec_ctx_t>.allocate(capacity: 1)
        context.initialize(to: vpx_codec_ctx_t())
        let initialized = vpx_codec_dec_init_ver(context, vpx_codec_vp8_dx(), nil, 0, cms_vpx_decoder_abi_version())
        guard initialized == VPX_CODEC_OK else {
            let error = CodecLibraryError.vpx("vpx_codec_dec_init_ver(VP8)", initialized, context: context)
            context.deallocate()
            throw error
        }
        self.context = context
    }

    deinit {
        vpx_codec_destroy(context)
        context.deallocate()
    }

    /// Decodes one complete VP8 frame. Returns the picture it shows, or nil for a frame that
    /// shows nothing (libvpx can emit hidden alt-ref frames; the encoder settings used here do not).
    func decode(_ frame: ByteBuffer) throws(CodecLibraryError) -> DecodedFrame? {
        guard frame.readableBytes > 0, let length = UInt32(exactly: frame.readableBytes) else {
            throw .invalidConfiguration("a VP8 frame of \(frame.readableBytes) bytes cannot be decoded")
        }
        let result = frame.withUnsafeReadableBytes { bytes in
            vpx_codec_decode(context, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), length, nil, 0)
        }
        guard result == VPX_CODEC_OK else { throw .vpx("vpx_codec_decode(\(length) bytes)", result, context: context) }

        var decoded: DecodedFrame?
        var iterator: vpx_codec_iter_t?
        while let image = vpx_codec_get_frame(context, &iterator) {
            decoded = Self.copyLuma(of: image)
        }
        return decoded
    }

    private static func copyLuma(of image: UnsafeMutablePointer<vpx_image_t>) -> DecodedFrame {
        let width = Int(image.pointee.d_w)
        let height = Int(image.pointee.d_h)
        let (base, stride) = VpxImage.plane(0, of: image)
        var luma = [UInt8](repeating: 0, count: width * height)
        if let base {
            luma.withUnsafeMutableBufferPointer { destination in
                for row in 0..<height {
                    (destination.baseAddress! + row * width).update(from: base + row * stride, count: width)
                }
            }
        }
        return DecodedFrame(width: width, height: height, luma: luma)
    }
}
