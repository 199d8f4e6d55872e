/// The RTP payload type space (RFC 3550: 7 bits) and its dynamic range (RFC 3551).
enum RtpPayloadTypes {
    static let all: ClosedRange<Int> = 0...127
    static let dynamic: ClosedRange<Int> = 96...127
}
