/// The local ICE credentials a WebRTC transport signals, as mediasoup's `iceParameters`
/// (`{usernameFragment, password, iceLite}`).
///
/// The peer puts `usernameFragment` first in the USERNAME of its checks and signs them with
/// `password` (short-term credentials, RFC 8445 §7.2.2).
public struct IceParameters: Sendable, Hashable, Codable {
    public var usernameFragment: String
    public var password: String
    /// Always true for the SFU: it is an ICE-lite agent (RFC 8445 §2.5).
    public var iceLite: Bool

    public init(usernameFragment: String, password: String, iceLite: Bool = true) {
        self.usernameFragment = usernameFragment
        self.password = password
        self.iceLite = iceLite
    }

    /// Length of the fragment and the password mediasoup generates. 32 characters from a
    /// 36-letter alphabet carry about 165 bits, far above RFC 8445's 24 bits for the fragment
    /// and 128 bits for the password, and long enough for the WebRtcServer to route by fragment.
    public static let randomLength = 32

    /// Lowercase letters and digits, as mediasoup draws from: safe in SDP `ice-ufrag`/`ice-pwd`
    /// (RFC 8839 `ice-char`) and never a `:`, which separates the fragments in USERNAME.
    public static let alphabet: [Character] = Array("0123456789abcdefghijklmnopqrstuvwxyz")

    /// Fresh credentials from the system's cryptographically secure generator.
    public static func random() -> IceParameters {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// Fresh credentials from `generator`; tests pass a seeded one.
    public static func random(using generator: inout some RandomNumberGenerator) -> IceParameters {
        IceParameters(
            usernameFragment: randomString(using: &generator),
            password: randomString(using: &generator),
            iceLite: true)
    }

    private static func randomString(using generator: inout some RandomNumberGenerator) -> String {
        String((0..<randomLength).map { _ in alphabet[Int.random(in: alphabet.indices, using: &generator)] })
    }
}
