/// The ssrc-audio-level header extension value (RFC 6464): a voice-activity flag and the audio
/// level in -dBov (0 is the loudest, 127 is silence).
///
/// Wire format (one byte): `V | level(7)`.
public struct RtpAudioLevel: Sendable, Equatable, Hashable {
    /// The V flag: the sender's voice activity detector thinks this packet holds speech.
    public var voiceActivity: Bool
    /// Audio level in -dBov, 0–127.
    public var level: UInt8

    /// - Parameter level: -dBov; values above 127 are clamped to 127.
    public init(voiceActivity: Bool, level: UInt8) {
        self.voiceActivity = voiceActivity
        self.level = min(level, 127)
    }

    public init(byte: UInt8) {
        self.init(voiceActivity: byte & 0x80 != 0, level: byte & 0x7F)
    }

    /// The one-byte wire encoding.
    public var byte: UInt8 { (voiceActivity ? 0x80 : 0) | (level & 0x7F) }

    /// The level in dBov (0 or negative), as audio level observers report it.
    public var dBov: Int { -Int(level) }
}
