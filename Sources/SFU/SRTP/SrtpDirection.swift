/// Which way an SRTP session's packets travel, as in mediasoup's `SrtpSession::Type`.
///
/// A transport owns one session of each: ``outbound`` protects what the SFU sends with the
/// local keys, ``inbound`` unprotects what it receives with the remote keys.
public enum SrtpDirection: Sendable, Hashable {
    case inbound
    case outbound
}
