#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The moving test picture ``SyntheticVideoSource`` encodes and ``SyntheticVideoChecker``
/// compares decoded pictures against: a diagonal luma ramp that slides 4 pixels per phase step,
/// a bright 48x48 square crossing the picture 4 pixels per step, and fixed chroma ramps.
///
/// Every pixel is a pure function of its position and the phase, so a receiver that knows the
/// phase of a decoded picture (the source uses the VP8 PictureID) can measure how faithfully it
/// arrived.
public struct SyntheticVideoPattern: Sendable, Hashable {
    public var width: Int
    public var height: Int

    /// Side of the moving square, in pixels.
    static let squareSize = 48
    /// Pixels the ramp and the square move per phase step.
    static let speed = 4
    /// The luma ramp is a triangle wave over this many pixels, so it has no hard edge.
    static let rampPeriod = 440

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The luma (Y) value at (`x`, `y`) for `phase`, in the video range 16...235.
    public func luma(x: Int, y: Int, phase: Int) -> UInt8 {
        let square = squareOrigin(phase: phase)
        if (square.x..<(square.x + Self.squareSize)).contains(x), (square.y..<(square.y + Self.squareSize)).contains(y) {
            return 235
        }
        let position = (x + y / 2 + Self.speed * phase) % Self.rampPeriod
        let half = Self.rampPeriod / 2
        let ramp = position < half ? position : Self.rampPeriod - position
        return UInt8(24 + ramp * 180 / half + Self.texture(x: x, y: y))
    }

    /// A fixed grain of 2x2-pixel cells, 0...15, so that pictures cost what camera pictures
    /// cost: without it the smooth ramp compresses to a few hundred bytes and key frames fit in
    /// one packet.
    static func texture(x: Int, y: Int) -> Int {
        var hash = UInt32(truncatingIfNeeded: (x / 2) &* 73_856_093 ^ (y / 2) &* 19_349_663)
        hash ^= hash >> 13
        hash = hash &* 0x5BD1_E995
        hash ^= hash >> 15
        return Int(hash & 0x0F)
    }

    /// Writes the picture for `phase` into `image`'s three planes.
    func render(into image: VpxImage, phase: Int) {
        image.withMutablePlanes { plane, base, stride, planeWidth, planeHeight in
            for y in 0..<planeHeight {
                let row = base + y * stride
                for x in 0..<planeWidth {
                    switch plane {
                    case 0: row[x] = luma(x: x, y: y, phase: phase)
                    case 1: row[x] = UInt8(64 + x * 128 / max(1, planeWidth))
                    default: row[x] = UInt8(64 + y * 128 / max(1, planeHeight))
                    }
                }
            }
        }
    }

    /// Peak signal-to-noise ratio, in dB, of a decoded luma plane (`width * height` samples, row
    /// by row) against the picture for `phase`; `.infinity` for an exact copy. Around 30 dB and
    /// up means the picture arrived intact; a wrong phase or corrupted frame scores far lower.
    public func lumaPsnr(_ decodedLuma: [UInt8], phase: Int) -> Double {
        precondition(decodedLuma.count == width * height, "a luma plane holds width * height samples")
        var squaredError = 0
        for y in 0..<height {
            for x in 0..<width {
                let difference = Int(decodedLuma[y * width + x]) - Int(luma(x: x, y: y, phase: phase))
                squaredError += difference * difference
            }
        }
        guard squaredError > 0 else { return .infinity }
        let meanSquaredError = Double(squaredError) / Double(width * height)
        return 10 * log10(255 * 255 / meanSquaredError)
    }

    private func squareOrigin(phase: Int) -> (x: Int, y: Int) {
        let travel = max(1, width - Self.squareSize)
        return ((Self.speed * phase) % travel, max(0, height / 2 - Self.squareSize / 2))
    }
}
