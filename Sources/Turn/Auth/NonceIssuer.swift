import Crypto
import Foundation

/// Issues and checks the NONCE of TURN long-term authentication without keeping state: a
/// nonce is its expiry time and a MAC over it, so any event loop can verify any nonce and a
/// stale one is told apart from a forged one (438 Stale Nonce versus 401).
public struct NonceIssuer: Sendable {
    public enum Validity: Sendable, Equatable {
        case valid
        case stale
        case invalid
    }

    /// Seconds a nonce stays valid (coturn's default is 600).
    public let lifetime: Int
    /// Key bytes rather than a `SymmetricKey`, which is not `Sendable` on Linux.
    private let key: [UInt8]

    public init(lifetime: Int = 600, key: [UInt8] = Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })) {
        self.lifetime = lifetime
        self.key = key
    }

    /// `now` is Unix time in seconds.
    public func makeNonce(now: Int) -> String {
        let expiry = String(now + lifetime, radix: 16)
        return expiry + "-" + mac(expiry)
    }

    public func check(_ nonce: String, now: Int) -> Validity {
        let parts = nonce.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let expiry = Int(parts[0], radix: 16), mac(String(parts[0])) == parts[1] else {
            return .invalid
        }
        return expiry > now ? .valid : .stale
    }

    private func mac(_ text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key))
        // Hex by table: this runs for every authenticated request, where String(format:) shows up in profiles.
        var hex: [UInt8] = []
        hex.reserveCapacity(24)
        for byte in code.prefix(12) {
            hex.append(Self.hexDigits[Int(byte >> 4)])
            hex.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
