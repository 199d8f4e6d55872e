/// Value ranges of SCTP fields: 16-bit ports and stream counts (RFC 4960 §3.3.2); stream id
/// 65535 is reserved for data channels (RFC 8831 §6.5).
enum SctpLimits {
    static let port: ClosedRange<Int> = 0...65535
    static let streamCount: ClosedRange<Int> = 1...65535
    static let streamId: ClosedRange<Int> = 0...65534
}
