/// SDES keying for a PlainTransport (mediasoup's SrtpParameters): a suite and the master key
/// and salt concatenated, base64.
public struct SrtpParameters: Sendable, Hashable, Codable, CustomStringConvertible {
    public var cryptoSuite: SrtpCryptoSuite
    public var keyBase64: String

    public init(cryptoSuite: SrtpCryptoSuite, keyBase64: String) {
        self.cryptoSuite = cryptoSuite
        self.keyBase64 = keyBase64
    }

    init(masterKey: SrtpMasterKey) {
        self.init(cryptoSuite: masterKey.suite, keyBase64: masterKey.keyBase64)
    }

    /// Keeps the key out of logs.
    public var description: String { "SrtpParameters(\(cryptoSuite.rawValue), <redacted>)" }
}
