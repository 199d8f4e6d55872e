/// The HMAC key for MESSAGE-INTEGRITY(-SHA256).
///
/// Build it with ``StunCredentials``: for short-term credentials (ICE) it is the password's
/// bytes, for long-term credentials (TURN) a hash of username, realm and password. Servers
/// should derive a long-term key once per user and reuse it.
public struct StunIntegrityKey: Hashable, Sendable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

extension StunIntegrityKey: CustomStringConvertible {
    /// Never prints the key: it is as good as the password.
    public var description: String {
        "StunIntegrityKey(\(self.bytes.count) bytes)"
    }
}
