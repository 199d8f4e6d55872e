import Crypto

/// Key derivations of RFC 8489 §9.
///
/// Passwords, usernames and realms are used as their UTF-8 bytes. RFC 8489 asks for
/// OpaqueString (RFC 8265) processing, RFC 5389 for SASLprep; both leave the ASCII credentials
/// that WebRTC and TURN REST-API secrets produce unchanged, so we do not implement them.
/// Callers that accept other user-chosen passwords should normalise them before storing.
public enum StunCredentials {
    /// Short-term credentials (ICE): the key is the password itself.
    public static func shortTermKey(password: String) -> StunIntegrityKey {
        StunIntegrityKey(bytes: Array(password.utf8))
    }

    /// Long-term credentials (TURN): MD5 or SHA-256 of "username:realm:password", as chosen by
    /// PASSWORD-ALGORITHM (MD5 when the client sent none). Nil for algorithms RFC 8489 does not
    /// define; answer those with 400.
    public static func longTermKey(
        username: String, realm: String, password: String, algorithm: StunPasswordAlgorithm = .md5
    ) -> StunIntegrityKey? {
        let input = Array("\(username):\(realm):\(password)".utf8)
        switch algorithm.number {
        case StunPasswordAlgorithm.md5.number:
            return StunIntegrityKey(bytes: Array(Insecure.MD5.hash(data: input)))
        case StunPasswordAlgorithm.sha256.number:
            return StunIntegrityKey(bytes: Array(SHA256.hash(data: input)))
        default:
            return nil
        }
    }

    /// The USERHASH value (RFC 8489 §14.4): SHA-256 of "username:realm".
    public static func userhash(username: String, realm: String) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(username):\(realm)".utf8)))
    }
}
