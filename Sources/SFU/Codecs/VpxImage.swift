import CMediaShim
import CVPX

/// An owned I420 `vpx_image_t` with its pixel buffer (`vpx_img_alloc`), freed on deinit.
///
/// Not `Sendable`: the pixels are written in place.
final class VpxImage {
    let pointer: UnsafeMutablePointer<vpx_image_t>

    /// Allocates a `width` x `height` I420 image with rows aligned to 32 bytes.
    init(width: Int, height: Int) throws(CodecLibraryError) {
        guard let w = UInt32(exactly: width), let h = UInt32(exactly: height), w > 0, h > 0,
            let allocated = vpx_img_alloc(nil, VPX_IMG_FMT_I420, w, h, 32)
        else { throw .invalidConfiguration("cannot allocate a \(width)x\(height) I420 image") }
        pointer = allocated
    }

    deinit {
        vpx_img_free(pointer)
    }

    var width: Int { Int(pointer.pointee.d_w) }
    var height: Int { Int(pointer.pointee.d_h) }

    /// Calls `body` with each of the three planes (Y, U, V): its first byte, its row stride and
    /// its size in pixels.
    func withMutablePlanes(_ body: (_ plane: Int, _ base: UnsafeMutablePointer<UInt8>, _ stride: Int, _ width: Int, _ height: Int) -> Void) {
        for plane in 0..<3 {
            let (base, stride) = Self.plane(plane, of: pointer)
            guard let base else { continue }
            let (planeWidth, planeHeight) = Self.planeSize(plane, width: width, height: height)
            body(plane, base, stride, planeWidth, planeHeight)
        }
    }

    /// Plane `index` (0 Y, 1 U, 2 V) of any I420 image, including the decoder's own. C arrays
    /// come into Swift as tuples, hence the raw reads.
    static func plane(_ index: Int, of image: UnsafePointer<vpx_image_t>) -> (base: UnsafeMutablePointer<UInt8>?, stride: Int) {
        let base = withUnsafeBytes(of: image.pointee.planes) { planes in
            planes.load(fromByteOffset: index * MemoryLayout<UnsafeMutablePointer<UInt8>?>.stride,
                        as: UnsafeMutablePointer<UInt8>?.self)
        }
        let stride = withUnsafeBytes(of: image.pointee.stride) { strides in
            strides.load(fromByteOffset: index * MemoryLayout<Int32>.stride, as: Int32.self)
        }
        return (base, Int(stride))
    }

    /// Luma is full size; I420 chroma planes are half size, rounded up.
    static func planeSize(_ index: Int, width: Int, height: Int) -> (width: Int, height: Int) {
        index == 0 ? (width, height) : ((width + 1) / 2, (height + 1) / 2)
    }
}
