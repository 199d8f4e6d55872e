/// The urn:3gpp:video-orientation header extension value (3GPP TS 26.114 §7.4.5), which is
/// what mediasoup reports in the Producer `videoorientationchange` event.
///
/// Wire format (one byte): `0 0 0 0 C F R1 R0` — C camera (0 front, 1 back), F horizontal
/// flip, R rotation in quarter turns clockwise.
public struct RtpVideoOrientation: Sendable, Equatable, Hashable {
    /// True for the back-facing camera (C bit).
    public var camera: Bool
    /// True when the image is horizontally flipped (F bit).
    public var flip: Bool
    /// Clockwise rotation in degrees: 0, 90, 180 or 270.
    public var rotation: UInt16

    /// - Parameter rotation: degrees; rounded down to a multiple of 90 and taken modulo 360.
    public init(camera: Bool, flip: Bool, rotation: UInt16) {
        self.camera = camera
        self.flip = flip
        self.rotation = (rotation / 90 % 4) * 90
    }

    public init(byte: UInt8) {
        self.init(camera: byte & 0x08 != 0, flip: byte & 0x04 != 0, rotation: UInt16(byte & 0x03) * 90)
    }

    /// The one-byte wire encoding.
    public var byte: UInt8 {
        (camera ? 0x08 : 0) | (flip ? 0x04 : 0) | UInt8(rotation / 90 % 4)
    }
}
