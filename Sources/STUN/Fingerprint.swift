import NIOCore

/// The FINGERPRINT computation (RFC 8489 §14.7): CRC-32 of the message up to the attribute,
/// XORed with 0x5354554E so that a STUN fingerprint differs from a CRC-32 some other protocol
/// multiplexed on the same port might carry.
enum Fingerprint {
    static let xorMask: UInt32 = 0x5354_554E
    /// Attribute header plus the 4-byte value.
    static let attributeLength = 8

    /// `message` is the header up to (not including) FINGERPRINT; `lengthField` replaces the
    /// header's length and counts FINGERPRINT itself.
    static func value(message: UnsafeRawBufferPointer, lengthField: UInt16) -> UInt32 {
        var crc = CRC32()
        MessageIntegrity.feed(message, lengthField: lengthField) { crc.update($0) }
        return crc.value ^ Self.xorMask
    }

    /// The same, for the bytes of `buffer` from `start` to its writer index (the encoder's view).
    static func value(message buffer: ByteBuffer, start: Int, lengthField: UInt16) -> UInt32 {
        buffer.withUnsafeReadableBytes { readable in
            value(message: UnsafeRawBufferPointer(rebasing: readable[(start - buffer.readerIndex)...]), lengthField: lengthField)
        }
    }
}

extension StunMessage {
    /// Checks FINGERPRINT against the bytes as received; `.absent` if there is none or the
    /// message was built rather than decoded. ICE and TURN use it to tell STUN from other
    /// protocols sharing a port, so a mismatch means "not STUN": drop the packet.
    public func verifyFingerprint() -> StunVerification {
        guard let received = self.received, let offset = received.fingerprintOffset else { return .absent }
        let matches = received.bytes.withUnsafeReadableBytes { message in
            let stored = message[(offset + 4)..<(offset + 8)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let lengthField = UInt16(offset + Fingerprint.attributeLength - StunMessageHeader.byteCount)
            return Fingerprint.value(message: UnsafeRawBufferPointer(rebasing: message[0..<offset]), lengthField: lengthField)
                == stored
        }
        return matches ? .valid : .invalid
    }
}
