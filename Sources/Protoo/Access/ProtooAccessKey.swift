import JWTKit

/// The key protoo access tokens are checked with: a shared secret (HS256), or the public half
/// of the token issuer's key pair (ES256 with EC P-256, RS256 with RSA).
public struct ProtooAccessKey: Sendable {
    public enum KeyError: Error, CustomStringConvertible {
        case shortSecret
        case unsupportedPublicKey

        public var description: String {
            switch self {
            case .shortSecret: "is shorter than 32 bytes: HS256 needs a 256-bit secret"
            case .unsupportedPublicKey: "is not a PEM public key for ES256 (EC P-256) or RS256 (RSA, 2048 bits or more)"
            }
        }
    }

    enum Material: Sendable {
        case secret(HMACKey)
        case ecdsa(ES256PublicKey)
        case rsa(Insecure.RSA.PublicKey)
    }

    let material: Material

    public init(secret: String) throws(KeyError) {
        guard secret.utf8.count >= 32 else { throw .shortSecret }
        material = .secret(HMACKey(from: secret))
    }

    public init(publicKeyPEM: String) throws(KeyError) {
        if let key = try? ES256PublicKey(pem: publicKeyPEM) {
            material = .ecdsa(key)
        } else if let key = try? Insecure.RSA.PublicKey(pem: publicKeyPEM) {
            material = .rsa(key)
        } else {
            throw .unsupportedPublicKey
        }
    }
}
