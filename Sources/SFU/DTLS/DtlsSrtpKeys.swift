/// The SRTP master keys a completed DTLS handshake exported (RFC 5764 §4.2), already split into
/// the SFU's sending (local) and receiving (remote) halves.
///
/// `description` names only the profile, so logging this value never leaks key material.
public struct DtlsSrtpKeys: Sendable, Hashable, CustomStringConvertible {
    public let profile: DtlsSrtpProfile
    /// Key protecting what this endpoint sends.
    public let localMasterKey: [UInt8]
    public let localMasterSalt: [UInt8]
    /// Key protecting what the peer sends.
    public let remoteMasterKey: [UInt8]
    public let remoteMasterSalt: [UInt8]

    /// The label of the exporter, RFC 5764 §4.2.
    static let exporterLabel = "EXTRACTOR-dtls_srtp"

    /// Number of bytes to export for `profile`: a key and a salt for each direction.
    static func exportedLength(for profile: DtlsSrtpProfile) -> Int {
        2 * (profile.masterKeyLength + profile.masterSaltLength)
    }

    /// Splits exported material laid out as `client key | server key | client salt | server salt`.
    init(profile: DtlsSrtpProfile, exportedMaterial material: [UInt8], localRole: DtlsRole) {
        precondition(material.count == Self.exportedLength(for: profile))
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        let clientKey = Array(material[0..<keyLength])
        let serverKey = Array(material[keyLength..<(2 * keyLength)])
        let clientSalt = Array(material[(2 * keyLength)..<(2 * keyLength + saltLength)])
        let serverSalt = Array(material[(2 * keyLength + saltLength)...])
        self.profile = profile
        if localRole == .client {
            (localMasterKey, localMasterSalt) = (clientKey, clientSalt)
            (remoteMasterKey, remoteMasterSalt) = (serverKey, serverSalt)
        } else {
            (localMasterKey, localMasterSalt) = (serverKey, serverSalt)
            (remoteMasterKey, remoteMasterSalt) = (clientKey, clientSalt)
        }
    }

    /// `localMasterKey ‖ localMasterSalt`, the layout mediasoup's SrtpSession and libsrtp take.
    public var localKeyingMaterial: [UInt8] { localMasterKey + localMasterSalt }

    /// `remoteMasterKey ‖ remoteMasterSalt`.
    public var remoteKeyingMaterial: [UInt8] { remoteMasterKey + remoteMasterSalt }

    public var description: String { "DtlsSrtpKeys(\(profile.rawValue))" }
}
