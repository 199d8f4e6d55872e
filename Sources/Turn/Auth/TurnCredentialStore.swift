import Crypto
import Foundation
import STUN

/// Where TURN long-term keys come from: a static user list, and TURN REST API ephemeral
/// credentials (coturn's `use-auth-secret`): username `<expiry-unix-seconds>[:<user>]` (or
/// `<user>:<expiry>`, which coturn reads too), password `base64(HMAC-SHA1(secret, username))`,
/// rejected once the expiry has passed.
public struct TurnCredentialStore: Sendable {
    public let realm: String
    private let staticKeys: [String: StunIntegrityKey]
    /// Secret bytes rather than a `SymmetricKey`, which is not `Sendable` on Linux.
    private let sharedSecret: [UInt8]?

    public init(realm: String, users: [String: String], sharedSecret: String?) {
        self.realm = realm
        var keys: [String: StunIntegrityKey] = [:]
        for (username, password) in users {
            keys[username] = StunCredentials.longTermKey(username: username, realm: realm, password: password)
        }
        self.staticKeys = keys
        self.sharedSecret = sharedSecret.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
    }

    /// The long-term key of `username`, or nil when the user is unknown or its REST credential
    /// has expired. `now` is Unix time in seconds.
    public func key(for username: String, now: Int) -> StunIntegrityKey? {
        if let key = staticKeys[username] { return key }
        guard let sharedSecret, let expiry = Self.expiry(ofRestUsername: username), expiry > now else { return nil }
        let password = Self.restPassword(username: username, secret: sharedSecret)
        return StunCredentials.longTermKey(username: username, realm: realm, password: password)
    }

    /// Ephemeral credentials for a client, valid for `lifetime` seconds from `now` (Unix time).
    /// Nil when no shared secret is configured.
    public func ephemeralCredentials(user: String?, lifetime: Int, now: Int) -> (username: String, password: String)? {
        guard let sharedSecret else { return nil }
        let username = user.map { "\(now + lifetime):\($0)" } ?? String(now + lifetime)
        return (username, Self.restPassword(username: username, secret: sharedSecret))
    }

    static func restPassword(username: String, secret: [UInt8]) -> String {
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: secret))
        return Data(code).base64EncodedString()
    }

    /// Whom a username's allocations count against in the per-user quota: the user of a REST
    /// credential, whatever its expiry (as coturn's real user name), so each credential handed out
    /// does not start a quota of its own.
    public func quotaUser(of username: String) -> String {
        guard sharedSecret != nil, staticKeys[username] == nil else { return username }
        return Self.restParts(username).user.map(String.init) ?? username
    }

    /// The expiry of a REST username: `1700000000`, `1700000000:alice` or `alice:1700000000`.
    static func expiry(ofRestUsername username: String) -> Int? {
        restParts(username).expiry
    }

    /// A REST username's expiry and user, split as coturn does: a run of digits before the
    /// first colon is the expiry, anything else there is the user and the expiry follows.
    private static func restParts(_ username: String) -> (expiry: Int?, user: Substring?) {
        guard let colon = username.firstIndex(of: ":") else { return (decimal(username[...]), nil) }
        let head = username[..<colon]
        let tail = username[username.index(after: colon)...]
        if let expiry = decimal(head) { return (expiry, tail) }
        return (decimal(tail), head)
    }

    private static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }
}
