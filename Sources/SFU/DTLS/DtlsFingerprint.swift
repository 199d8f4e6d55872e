/// A certificate fingerprint as mediasoup signals it: `{algorithm, value}` where `value` is the
/// digest of the DER certificate in uppercase hex pairs separated by colons (`"AB:CD:…"`).
public struct DtlsFingerprint: Sendable, Hashable, Codable {
    public var algorithm: DtlsFingerprintAlgorithm
    public var value: String

    public init(algorithm: DtlsFingerprintAlgorithm, value: String) {
        self.algorithm = algorithm
        self.value = value
    }

    /// Formats a digest in mediasoup's format: uppercase hex pairs joined by colons.
    public init(algorithm: DtlsFingerprintAlgorithm, digest: some Sequence<UInt8>) {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        for byte in digest {
            if !text.isEmpty { text.append(UInt8(ascii: ":")) }
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        self.init(algorithm: algorithm, value: String(decoding: text, as: UTF8.self))
    }

    /// Whether `other` names the same digest: same algorithm, values equal ignoring case
    /// (mediasoup compares exactly, but some endpoints signal lowercase hex and the digest is
    /// the same).
    public func matches(_ other: DtlsFingerprint) -> Bool {
        algorithm == other.algorithm && value.uppercased() == other.value.uppercased()
    }
}
