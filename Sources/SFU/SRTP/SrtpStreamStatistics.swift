/// Per-SSRC counters of one SRTP session: what was processed and why packets were dropped.
public struct SrtpStreamStatistics: Sendable, Equatable {
    /// RTP packets protected or unprotected successfully.
    public var rtpPackets: UInt64 = 0
    /// RTCP packets protected or unprotected successfully.
    public var rtcpPackets: UInt64 = 0
    public var authenticationFailures: UInt64 = 0
    public var replayedPackets: UInt64 = 0
    public var tooOldPackets: UInt64 = 0
    /// Packets too short for their header and trailer (only attributable when the SSRC field
    /// itself was readable).
    public var malformedPackets: UInt64 = 0
    /// Times the inbound rollover counter was re-synchronised after a loss of more than 2^15
    /// packets (see ``OpenSslSrtpSession``). Always 0 for the libsrtp backend.
    public var rolloverRecoveries: UInt64 = 0

    public init() {}

    /// Counts one failed packet.
    mutating func record(_ error: SrtpError) {
        switch error {
        case .authenticationFailed: authenticationFailures &+= 1
        case .replayed: replayedPackets &+= 1
        case .tooOld: tooOldPackets &+= 1
        case .packetTooShort: malformedPackets &+= 1
        case .bufferTooSmall, .indexExhausted, .wrongDirection, .cryptoFailure: break
        }
    }

    /// Total failed packets of any kind counted here.
    public var droppedPackets: UInt64 {
        authenticationFailures &+ replayedPackets &+ tooOldPackets &+ malformedPackets
    }
}
