/// The Opus TOC byte (RFC 6716 §3.1), the first byte of every Opus packet:
/// `config(5) | s(1) | c(2)`.
public struct OpusToc: Sendable, Equatable {
    /// The coding mode a configuration number selects.
    public enum Mode: Sendable, Equatable {
        case silk
        case hybrid
        case celt
    }

    /// Audio bandwidth.
    public enum Bandwidth: Sendable, Equatable {
        case narrowband
        case mediumband
        case wideband
        case superWideband
        case fullband
    }

    /// Configuration number 0–31 (mode, bandwidth and frame size).
    public var config: UInt8
    /// s: stereo.
    public var isStereo: Bool
    /// c: 0 one frame, 1 two equal frames, 2 two frames of different sizes, 3 arbitrary count.
    public var frameCountCode: UInt8

    public init(byte: UInt8) {
        config = byte >> 3
        isStereo = byte & 0x04 != 0
        frameCountCode = byte & 0x03
    }

    /// The TOC byte.
    public var byte: UInt8 { config << 3 | (isStereo ? 0x04 : 0) | frameCountCode }

    public var mode: Mode {
        switch config {
        case 0...11: return .silk
        case 12...15: return .hybrid
        default: return .celt
        }
    }

    public var bandwidth: Bandwidth {
        switch config {
        case 0...3, 16...19: return .narrowband
        case 4...7: return .mediumband
        case 8...11, 20...23: return .wideband
        case 12...13, 24...27: return .superWideband
        default: return .fullband
        }
    }

    /// Duration of each frame in microseconds (2.5 ms to 60 ms).
    public var frameDurationMicroseconds: Int {
        switch mode {
        case .silk: return [10_000, 20_000, 40_000, 60_000][Int(config & 0x03)]
        case .hybrid: return [10_000, 20_000][Int(config & 0x01)]
        case .celt: return [2_500, 5_000, 10_000, 20_000][Int(config & 0x03)]
        }
    }
}
