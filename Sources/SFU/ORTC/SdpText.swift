/// Text other participants choose that ends up in SDP lines (codec parameters in a=fmtp, CNAMEs
/// in a=ssrc, peer ids in a=msid): a line break or another control character there would start
/// a line of the sender's choosing in everyone's session description.
public enum SdpText {
    /// Whether `text` holds a control character (C0 or DEL).
    public static func containsControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
