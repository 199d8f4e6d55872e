import Crypto
// Foundation makes UnsafeRawBufferPointer a DataProtocol, which swift-crypto's update takes.
import Foundation
import NIOCore

/// Which HMAC protects a message (RFC 8489 §14.5–14.6).
public enum StunIntegrityAlgorithm: Hashable, Sendable {
    /// MESSAGE-INTEGRITY: HMAC-SHA1, 20 bytes. What browsers' ICE and most TURN clients use.
    case hmacSHA1
    /// MESSAGE-INTEGRITY-SHA256: HMAC-SHA256, 32 bytes when we send it.
    case hmacSHA256

    /// MESSAGE-INTEGRITY must precede MESSAGE-INTEGRITY-SHA256 when both are sent.
    static let wireOrder: [StunIntegrityAlgorithm] = [.hmacSHA1, .hmacSHA256]

    /// Length of the value we write.
    var byteCount: Int {
        switch self {
        case .hmacSHA1: return 20
        case .hmacSHA256: return 32
        }
    }

    var attributeType: StunAttributeType {
        switch self {
        case .hmacSHA1: return .messageIntegrity
        case .hmacSHA256: return .messageIntegritySHA256
        }
    }
}

/// The HMAC computation shared by the encoder and the verifier.
enum MessageIntegrity {
    /// HMAC of `message` (header up to, not including, the integrity attribute) with the
    /// header's length field replaced by `lengthField`, which must count the attributes up to
    /// and including the integrity attribute (RFC 8489 §14.5). `message` holds at least the
    /// 20-byte header.
    static func code(
        _ algorithm: StunIntegrityAlgorithm, key: StunIntegrityKey, message: UnsafeRawBufferPointer, lengthField: UInt16
    ) -> [UInt8] {
        let symmetricKey = SymmetricKey(data: key.bytes)
        switch algorithm {
        case .hmacSHA1:
            var hmac = HMAC<Insecure.SHA1>(key: symmetricKey)
            feed(message, lengthField: lengthField) { hmac.update(data: $0) }
            return Array(hmac.finalize())
        case .hmacSHA256:
            var hmac = HMAC<SHA256>(key: symmetricKey)
            feed(message, lengthField: lengthField) { hmac.update(data: $0) }
            return Array(hmac.finalize())
        }
    }

    /// The same, for the bytes of `buffer` from `start` to its writer index (the encoder's view).
    static func code(
        _ algorithm: StunIntegrityAlgorithm, key: StunIntegrityKey, message buffer: ByteBuffer, start: Int,
        lengthField: UInt16
    ) -> [UInt8] {
        buffer.withUnsafeReadableBytes { readable in
            code(
                algorithm, key: key, message: UnsafeRawBufferPointer(rebasing: readable[(start - buffer.readerIndex)...]),
                lengthField: lengthField)
        }
    }

    /// Passes `message` to `update` in three pieces so the length field can be patched
    /// without copying the message.
    static func feed(_ message: UnsafeRawBufferPointer, lengthField: UInt16, _ update: (UnsafeRawBufferPointer) -> Void) {
        update(UnsafeRawBufferPointer(rebasing: message[0..<2]))
        withUnsafeBytes(of: lengthField.bigEndian) { update($0) }
        update(UnsafeRawBufferPointer(rebasing: message[4...]))
    }

    /// Compares in time that depends only on the lengths, so a forger learns nothing from how
    /// long a rejection took.
    static func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }
}

extension StunMessage {
    /// The integrity algorithms this message carries, so a response can use the same ones.
    public var integrityAlgorithms: Set<StunIntegrityAlgorithm> {
        var algorithms: Set<StunIntegrityAlgorithm> = []
        for attribute in self.attributes {
            switch attribute {
            case .messageIntegrity: algorithms.insert(.hmacSHA1)
            case .messageIntegritySHA256: algorithms.insert(.hmacSHA256)
            default: break
            }
        }
        return algorithms
    }

    /// Checks MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 against the bytes as received.
    ///
    /// `.valid` only if every integrity attribute present matches; a truncated
    /// MESSAGE-INTEGRITY-SHA256 is compared on its length. Messages built rather than decoded
    /// return `.absent`.
    public func verifyMessageIntegrity(key: StunIntegrityKey) -> StunVerification {
        guard let received = self.received else { return .absent }
        let checks: [(StunIntegrityAlgorithm, Int)] = [
            received.integrityOffset.map { (.hmacSHA1, $0) },
            received.integritySHA256Offset.map { (.hmacSHA256, $0) },
        ].compactMap { $0 }
        guard !checks.isEmpty else { return .absent }
        let allMatch = received.bytes.withUnsafeReadableBytes { message in
            checks.allSatisfy { algorithm, offset in
                Self.integrityMatches(algorithm, key: key, message: message, attributeOffset: offset)
            }
        }
        return allMatch ? .valid : .invalid
    }

    /// `attributeOffset` was recorded by the decoder, which also checked that the attribute's
    /// value lies inside `message`.
    private static func integrityMatches(
        _ algorithm: StunIntegrityAlgorithm, key: StunIntegrityKey, message: UnsafeRawBufferPointer, attributeOffset: Int
    ) -> Bool {
        let valueLength = Int(message[attributeOffset + 2]) << 8 | Int(message[attributeOffset + 3])
        let lengthField = UInt16(attributeOffset + 4 + valueLength - StunMessageHeader.byteCount)
        let expected = MessageIntegrity.code(
            algorithm, key: key, message: UnsafeRawBufferPointer(rebasing: message[0..<attributeOffset]),
            lengthField: lengthField)
        let received = message[(attributeOffset + 4)..<(attributeOffset + 4 + valueLength)]
        return MessageIntegrity.constantTimeEquals(expected.prefix(valueLength), received)
    }
}
