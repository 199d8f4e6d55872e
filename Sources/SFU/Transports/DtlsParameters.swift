/// The DTLS side of a WebRtcTransport as signaled (mediasoup's DtlsParameters).
public struct DtlsParameters: Sendable, Hashable, Codable {
    public var role: DtlsRole?
    public var fingerprints: [DtlsFingerprint]

    public init(role: DtlsRole? = nil, fingerprints: [DtlsFingerprint]) {
        self.role = role
        self.fingerprints = fingerprints
    }
}
