/// Why bytes could not be decoded as a TURN ChannelData message.
public enum ChannelDataParseError: Error, Hashable, Sendable {
    /// Fewer than the 4 header bytes were available.
    case truncatedHeader(available: Int)
    /// The channel number is outside 0x4000–0x7FFF.
    case invalidChannelNumber(UInt16)
    /// The header announces `declared` payload bytes but `available` follow it (more than three
    /// bytes of padding count as a mismatch too).
    case lengthMismatch(declared: Int, available: Int)
}
