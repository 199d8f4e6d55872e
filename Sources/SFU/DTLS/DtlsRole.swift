/// A DTLS role as signaled in mediasoup's `dtlsParameters.role`.
public enum DtlsRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Either role; what the SFU announces in its own `dtlsParameters`.
    case auto
    case client
    case server

    /// The role the SFU takes given the remote's signaled role, as mediasoup's
    /// `WebRtcTransport::connect` decides it.
    ///
    /// A remote `client` makes us the `server`; a remote `server` or `auto` makes us the
    /// `client`, because the SFU is ICE-lite and therefore ICE-controlled, and RFC 5763 has the
    /// `auto` (actpass) offerer answered by an active (client) side.
    public static func local(forRemote remote: DtlsRole) -> DtlsRole {
        switch remote {
        case .client: .server
        case .server, .auto: .client
        }
    }
}
