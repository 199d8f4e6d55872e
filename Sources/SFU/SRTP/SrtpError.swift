/// Why one packet could not be protected or unprotected.
///
/// These are returned as values (inside ``SrtpResult``) and counted per stream: a bad packet is
/// dropped and counted, never thrown on the hot path. When unprotecting fails the packet's
/// bytes are left as they arrived (see ``SrtpTransform`` for libsrtp's AEAD exception).
public enum SrtpError: Error, Equatable, Hashable, Sendable {
    /// The packet is shorter than its header (fixed part, CSRCs, header extension) plus the
    /// trailer the suite needs (authentication tag, SRTCP index).
    case packetTooShort
    /// The authentication tag does not match: forged, corrupted, or protected with another key
    /// or rollover counter.
    case authenticationFailed
    /// The packet index was already accepted (a replay or a network duplicate).
    case replayed
    /// The packet index is older than the replay window, so it cannot be checked for replay.
    case tooOld
    /// The buffer has no room past the packet for the trailer `protect` appends
    /// (``SrtpCryptoSuite/rtpTrailerLength`` or ``SrtpCryptoSuite/rtcpTrailerLength``).
    case bufferTooSmall
    /// The stream's SRTCP index reached 2^31 − 1: the keys must be renegotiated.
    case indexExhausted
    /// `protect` was called on an inbound session or `unprotect` on an outbound one.
    case wrongDirection
    /// The crypto library failed in a way that is not the packet's fault (OpenSSL call
    /// failure, unexpected libsrtp status). The value is the library's code where it has one.
    case cryptoFailure(code: Int32)
}

/// The outcome of protecting or unprotecting one packet in place: the packet's new length on
/// success.
public typealias SrtpResult = Result<Int, SrtpError>

extension SrtpError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .packetTooShort: "SRTP packet too short for its header and trailer"
        case .authenticationFailed: "SRTP authentication failed"
        case .replayed: "SRTP packet replayed (index already received)"
        case .tooOld: "SRTP packet older than the replay window"
        case .bufferTooSmall: "no room in the buffer for the SRTP trailer"
        case .indexExhausted: "SRTCP index exhausted; the session must be rekeyed"
        case .wrongDirection: "SRTP session used in the wrong direction"
        case .cryptoFailure(let code): "SRTP crypto library failure (code \(code))"
        }
    }
}
