import NIOCore

/// An entry of PASSWORD-ALGORITHMS, or the value of PASSWORD-ALGORITHM (RFC 8489 §14.11–14.12):
/// which hash turns username, realm and password into the long-term key.
public struct StunPasswordAlgorithm: Hashable, Sendable {
    /// IANA number: 0x0001 MD5, 0x0002 SHA-256.
    public let number: UInt16
    /// Algorithm parameters; empty for both algorithms RFC 8489 defines.
    public let parameters: [UInt8]

    public init(number: UInt16, parameters: [UInt8] = []) {
        self.number = number
        self.parameters = parameters
    }

    public static let md5 = StunPasswordAlgorithm(number: 0x0001)
    public static let sha256 = StunPasswordAlgorithm(number: 0x0002)

    // MARK: Wire format: number, parameter length, parameters. Inside PASSWORD-ALGORITHMS each
    // entry is padded to 4 bytes; PASSWORD-ALGORITHM relies on the attribute's own padding.

    var wireLength: Int {
        4 + self.parameters.count
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.number)
        buffer.writeInteger(UInt16(truncatingIfNeeded: self.parameters.count))
        buffer.writeBytes(self.parameters)
    }

    /// Reads one algorithm at `index`; returns it and the index just past its padding.
    static func decode(
        _ value: ByteBuffer, at index: Int, type: StunAttributeType
    ) throws(StunParseError) -> (algorithm: StunPasswordAlgorithm, next: Int) {
        let end = value.readerIndex + value.readableBytes
        guard let number = value.getInteger(at: index, as: UInt16.self),
            let parameterLength = value.getInteger(at: index + 2, as: UInt16.self).map(Int.init),
            index + 4 + parameterLength <= end,
            let parameters = value.getBytes(at: index + 4, length: parameterLength)
        else {
            throw .invalidAttributeValue(type: type, reason: "password algorithm entry overruns the value")
        }
        let next = min(index + 4 + StunAttribute.padded(parameterLength), end)
        return (StunPasswordAlgorithm(number: number, parameters: parameters), next)
    }
}
