import NIOCore

/// A STUN message (RFC 8489 §5): type, transaction ID and an ordered list of attributes.
///
/// A message is immutable. One built by ``init(messageType:transactionID:attributes:)`` is
/// encoded with ``encode(into:integrityKey:integrityAlgorithms:fingerprint:)``, which computes
/// MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT. One decoded from bytes also keeps those bytes
/// (a slice of the caller's buffer, not a copy) so that ``verifyMessageIntegrity(key:)`` and
/// ``verifyFingerprint()`` check exactly what was received, never a re-encoding of it.
public struct StunMessage: Sendable {
    public let messageType: StunMessageType
    public let transactionID: StunTransactionID
    /// In wire order. For a decoded message, attributes that RFC 8489 §14.5–14.7 says to
    /// ignore (anything after MESSAGE-INTEGRITY except MESSAGE-INTEGRITY-SHA256 and
    /// FINGERPRINT, anything after FINGERPRINT) are left out.
    public let attributes: [StunAttribute]
    /// Present only on decoded messages.
    let received: Received?

    /// The received bytes and where in them the attributes that protect them start.
    struct Received: Sendable {
        /// Exactly the message, header included; its reader index is 0.
        let bytes: ByteBuffer
        let integrityOffset: Int?
        let integritySHA256Offset: Int?
        let fingerprintOffset: Int?
    }

    public init(messageType: StunMessageType, transactionID: StunTransactionID = .random(), attributes: [StunAttribute] = []) {
        self.messageType = messageType
        self.transactionID = transactionID
        self.attributes = attributes
        self.received = nil
    }

    /// A success response to `request`: same method and transaction ID.
    public static func successResponse(to request: StunMessage, attributes: [StunAttribute] = []) -> StunMessage {
        StunMessage(
            messageType: StunMessageType(method: request.messageType.method, messageClass: .successResponse),
            transactionID: request.transactionID, attributes: attributes)
    }

    /// An error response to `request` with ERROR-CODE first, then `attributes`.
    public static func errorResponse(
        to request: StunMessage, error: StunErrorCode, attributes: [StunAttribute] = []
    ) -> StunMessage {
        StunMessage(
            messageType: StunMessageType(method: request.messageType.method, messageClass: .errorResponse),
            transactionID: request.transactionID, attributes: [.errorCode(error)] + attributes)
    }

    /// An error response to a request whose header decoded but whose body did not (typically
    /// 400 Bad Request, or 440 when REQUESTED-ADDRESS-FAMILY names an unknown family).
    public static func errorResponse(
        to header: StunMessageHeader, error: StunErrorCode, attributes: [StunAttribute] = []
    ) -> StunMessage {
        StunMessage(
            messageType: StunMessageType(method: header.messageType.method, messageClass: .errorResponse),
            transactionID: header.transactionID, attributes: [.errorCode(error)] + attributes)
    }

    // MARK: Decoding

    /// Decodes one whole STUN message: `buffer`'s readable bytes must be exactly the message,
    /// as a UDP datagram is (use ``StreamFraming`` to cut messages out of a TCP stream).
    /// The reader index is not moved. DATA values and the kept bytes are slices of `buffer`.
    public init(decoding buffer: ByteBuffer) throws(StunParseError) {
        let header = try StunMessageHeader(decoding: buffer)
        let available = buffer.readableBytes - StunMessageHeader.byteCount
        guard header.length == available,
            let bytes = buffer.getSlice(at: buffer.readerIndex, length: StunMessageHeader.byteCount + header.length)
        else {
            throw .lengthMismatch(declared: header.length, available: available)
        }
        var attributes: [StunAttribute] = []
        // Room for what TURN requests carry, so the array is allocated once.
        attributes.reserveCapacity(8)
        var integrityOffset: Int?
        var integritySHA256Offset: Int?
        var fingerprintOffset: Int?
        let end = bytes.readableBytes
        var offset = StunMessageHeader.byteCount
        walk: while offset < end {
            guard let rawType = bytes.getInteger(at: offset, as: UInt16.self),
                let length = bytes.getInteger(at: offset + 2, as: UInt16.self).map(Int.init)
            else {
                // Unreachable while the header length is a multiple of 4, but the read stays checked.
                throw .attributeOverrun(type: StunAttributeType(rawValue: 0), declaredLength: 4, remaining: end - offset)
            }
            let type = StunAttributeType(rawValue: rawType)
            let valueStart = offset + 4
            guard valueStart + length <= end, let value = bytes.getSlice(at: valueStart, length: length) else {
                throw .attributeOverrun(type: type, declaredLength: length, remaining: end - valueStart)
            }
            let attributeOffset = offset
            // Padding bytes may hold anything (RFC 8489 §14); they are skipped unread. The
            // header length and `valueStart` are multiples of 4, so this never passes `end`.
            offset = valueStart + StunAttribute.padded(length)

            let counts: Bool
            if integritySHA256Offset != nil {
                counts = type == .fingerprint
            } else if integrityOffset != nil {
                counts = type == .fingerprint || type == .messageIntegritySHA256
            } else {
                counts = true
            }
            guard counts else { continue }
            attributes.append(try StunAttribute.decode(type: type, value: value, transactionID: header.transactionID))
            switch type {
            case .messageIntegrity: integrityOffset = attributeOffset
            case .messageIntegritySHA256: integritySHA256Offset = attributeOffset
            case .fingerprint:
                fingerprintOffset = attributeOffset
                break walk
            default: break
            }
        }
        self.messageType = header.messageType
        self.transactionID = header.transactionID
        self.attributes = attributes
        self.received = Received(
            bytes: bytes, integrityOffset: integrityOffset, integritySHA256Offset: integritySHA256Offset,
            fingerprintOffset: fingerprintOffset)
    }

    /// Decodes from any byte collection. This copies the bytes into a `ByteBuffer`; code that
    /// already has one should pass it instead.
    public init(decoding bytes: some Collection<UInt8>) throws(StunParseError) {
        try self.init(decoding: ByteBuffer(bytes: bytes))
    }

    // MARK: Encoding

    /// Appends the encoded message to `buffer`.
    ///
    /// Attributes are written in order with zero padding. MESSAGE-INTEGRITY,
    /// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT entries in ``attributes`` are skipped; instead,
    /// when `integrityKey` is given, one integrity attribute per algorithm in
    /// `integrityAlgorithms` is computed (MESSAGE-INTEGRITY before MESSAGE-INTEGRITY-SHA256, as
    /// RFC 8489 §14.6 orders them), then FINGERPRINT if `fingerprint` is true.
    /// On error nothing is written.
    public func encode(
        into buffer: inout ByteBuffer,
        integrityKey: StunIntegrityKey? = nil,
        integrityAlgorithms: Set<StunIntegrityAlgorithm> = [.hmacSHA1],
        fingerprint: Bool = false
    ) throws(StunEncodingError) {
        let body = self.attributes.filter { !$0.isComputedByEncoder }
        var length = 0
        for attribute in body {
            let valueLength = attribute.valueLength
            guard valueLength <= Int(UInt16.max) else {
                throw .attributeTooLong(type: attribute.type, length: valueLength)
            }
            length += 4 + StunAttribute.padded(valueLength)
        }
        let algorithms = integrityKey == nil ? [] : StunIntegrityAlgorithm.wireOrder.filter(integrityAlgorithms.contains)
        let trailerLength = algorithms.reduce(0) { $0 + 4 + $1.byteCount } + (fingerprint ? Fingerprint.attributeLength : 0)
        guard length + trailerLength <= Int(UInt16.max) else {
            throw .messageTooLong(length: length + trailerLength)
        }

        let start = buffer.writerIndex
        buffer.reserveCapacity(minimumWritableBytes: StunMessageHeader.byteCount + length + trailerLength)
        StunMessageHeader.write(type: self.messageType, length: length, transactionID: self.transactionID, into: &buffer)
        for attribute in body {
            attribute.write(into: &buffer, transactionID: self.transactionID)
        }
        // Each trailer attribute is computed over everything before it, with the header length
        // already counting the attribute itself (RFC 8489 §14.5–14.7).
        if let integrityKey {
            for algorithm in algorithms {
                length += 4 + algorithm.byteCount
                let code = MessageIntegrity.code(
                    algorithm, key: integrityKey, message: buffer, start: start, lengthField: UInt16(length))
                buffer.writeInteger(algorithm.attributeType.rawValue)
                buffer.writeInteger(UInt16(algorithm.byteCount))
                buffer.writeBytes(code)
            }
        }
        if fingerprint {
            length += Fingerprint.attributeLength
            let value = Fingerprint.value(message: buffer, start: start, lengthField: UInt16(length))
            buffer.writeInteger(StunAttributeType.fingerprint.rawValue)
            buffer.writeInteger(UInt16(4))
            buffer.writeInteger(value)
        }
        buffer.setInteger(UInt16(length), at: start + 2)
    }

    /// The encoded message in a new buffer; see ``encode(into:integrityKey:integrityAlgorithms:fingerprint:)``.
    public func encoded(
        integrityKey: StunIntegrityKey? = nil,
        integrityAlgorithms: Set<StunIntegrityAlgorithm> = [.hmacSHA1],
        fingerprint: Bool = false,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(StunEncodingError) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 128)
        try self.encode(
            into: &buffer, integrityKey: integrityKey, integrityAlgorithms: integrityAlgorithms, fingerprint: fingerprint)
        return buffer
    }
}

extension StunMessage: Equatable {
    /// Compares type, transaction ID and attributes; whether and from which bytes a message
    /// was decoded does not matter.
    public static func == (lhs: StunMessage, rhs: StunMessage) -> Bool {
        lhs.messageType == rhs.messageType && lhs.transactionID == rhs.transactionID && lhs.attributes == rhs.attributes
    }
}
