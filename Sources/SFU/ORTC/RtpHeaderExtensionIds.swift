/// Header extension ids usable in RTP (RFC 8285): 1–14 in one-byte headers, up to 255 in
/// two-byte headers; 0 and 15 are reserved in the one-byte form.
enum RtpHeaderExtensionIds {
    static let all: ClosedRange<Int> = 1...255
}
