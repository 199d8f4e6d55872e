import NIOCore

/// One STUN attribute, decoded into a typed value.
///
/// Attributes this module does not know are kept as ``unknown(type:value:)`` and re-encoded
/// byte for byte. MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT appear in a
/// decoded message so they can be inspected, but the encoder never copies them: it computes
/// fresh ones from the key and flags it is given (see ``StunMessage/encode(into:integrityKey:integrityAlgorithms:fingerprint:)``).
public enum StunAttribute: Hashable, Sendable {
    // RFC 8489 (STUN)
    case mappedAddress(StunAddress)
    case xorMappedAddress(StunAddress)
    case username(String)
    /// The 20-byte HMAC-SHA1 as received.
    case messageIntegrity([UInt8])
    /// The HMAC-SHA256 as received: 16 to 32 bytes, a multiple of 4 (it may be truncated).
    case messageIntegritySHA256([UInt8])
    /// The CRC-32 value as received (already XORed with 0x5354554E).
    case fingerprint(UInt32)
    case errorCode(StunErrorCode)
    case unknownAttributes([StunAttributeType])
    case realm(String)
    case nonce(String)
    case passwordAlgorithms([StunPasswordAlgorithm])
    case passwordAlgorithm(StunPasswordAlgorithm)
    /// SHA-256(username ":" realm), 32 bytes (see ``StunCredentials/userhash(username:realm:)``).
    case userhash([UInt8])
    case software(String)
    case alternateServer(StunAddress)
    case alternateDomain(String)
    // RFC 8445 (ICE)
    case priority(UInt32)
    case useCandidate
    case iceControlled(tieBreaker: UInt64)
    case iceControlling(tieBreaker: UInt64)
    // RFC 8656 (TURN) and RFC 6156
    /// Channel numbers 0x4000–0x7FFF are valid (see ``ChannelData``); others decode but a
    /// server must refuse them with 400.
    case channelNumber(UInt16)
    /// Seconds.
    case lifetime(UInt32)
    case xorPeerAddress(StunAddress)
    /// The payload of a Send or Data indication; a slice of the received buffer, not a copy.
    case data(ByteBuffer)
    case xorRelayedAddress(StunAddress)
    case requestedAddressFamily(StunAddress.Family)
    case evenPort(reserveNextPort: Bool)
    /// An IANA protocol number; TURN relays UDP, which is 17.
    case requestedTransport(UInt8)
    case dontFragment
    case reservationToken(UInt64)
    case additionalAddressFamily(StunAddress.Family)
    case addressErrorCode(family: StunAddress.Family, error: StunErrorCode)
    /// `type` uses 7 bits and `code` 9 bits on the wire; higher bits are dropped on encode.
    case icmp(type: UInt8, code: UInt16, errorData: UInt32)
    /// An attribute this module does not decode, with its value bytes (without padding).
    case unknown(type: StunAttributeType, value: [UInt8])

    public var type: StunAttributeType {
        switch self {
        case .mappedAddress: return .mappedAddress
        case .xorMappedAddress: return .xorMappedAddress
        case .username: return .username
        case .messageIntegrity: return .messageIntegrity
        case .messageIntegritySHA256: return .messageIntegritySHA256
        case .fingerprint: return .fingerprint
        case .errorCode: return .errorCode
        case .unknownAttributes: return .unknownAttributes
        case .realm: return .realm
        case .nonce: return .nonce
        case .passwordAlgorithms: return .passwordAlgorithms
        case .passwordAlgorithm: return .passwordAlgorithm
        case .userhash: return .userhash
        case .software: return .software
        case .alternateServer: return .alternateServer
        case .alternateDomain: return .alternateDomain
        case .priority: return .priority
        case .useCandidate: return .useCandidate
        case .iceControlled: return .iceControlled
        case .iceControlling: return .iceControlling
        case .channelNumber: return .channelNumber
        case .lifetime: return .lifetime
        case .xorPeerAddress: return .xorPeerAddress
        case .data: return .data
        case .xorRelayedAddress: return .xorRelayedAddress
        case .requestedAddressFamily: return .requestedAddressFamily
        case .evenPort: return .evenPort
        case .requestedTransport: return .requestedTransport
        case .dontFragment: return .dontFragment
        case .reservationToken: return .reservationToken
        case .additionalAddressFamily: return .additionalAddressFamily
        case .addressErrorCode: return .addressErrorCode
        case .icmp: return .icmp
        case .unknown(let type, _): return type
        }
    }

    /// True for the attributes the encoder computes itself and never copies from a list.
    var isComputedByEncoder: Bool {
        switch self {
        case .messageIntegrity, .messageIntegritySHA256, .fingerprint: return true
        default: return false
        }
    }

    /// The value length written in the attribute header (padding excluded).
    var valueLength: Int {
        switch self {
        case .mappedAddress(let address), .xorMappedAddress(let address), .alternateServer(let address),
            .xorPeerAddress(let address), .xorRelayedAddress(let address):
            return address.wireLength
        case .username(let text), .realm(let text), .nonce(let text), .software(let text), .alternateDomain(let text):
            return text.utf8.count
        case .messageIntegrity(let bytes), .messageIntegritySHA256(let bytes), .userhash(let bytes),
            .unknown(_, let bytes):
            return bytes.count
        case .errorCode(let error), .addressErrorCode(_, let error):
            return error.wireLength
        case .unknownAttributes(let types):
            return 2 * types.count
        case .passwordAlgorithms(let algorithms):
            return algorithms.reduce(0) { $0 + Self.padded($1.wireLength) }
        case .passwordAlgorithm(let algorithm):
            return algorithm.wireLength
        case .data(let payload):
            return payload.readableBytes
        case .useCandidate, .dontFragment:
            return 0
        case .evenPort:
            return 1
        case .fingerprint, .priority, .channelNumber, .lifetime, .requestedAddressFamily, .requestedTransport,
            .additionalAddressFamily:
            return 4
        case .iceControlled, .iceControlling, .reservationToken, .icmp:
            return 8
        }
    }

    /// Writes type, length, value and zero padding.
    func write(into buffer: inout ByteBuffer, transactionID: StunTransactionID) {
        let valueLength = self.valueLength
        buffer.writeInteger(self.type.rawValue)
        buffer.writeInteger(UInt16(valueLength))
        self.writeValue(into: &buffer, transactionID: transactionID)
        buffer.writeRepeatingByte(0, count: StunAttribute.padded(valueLength) - valueLength)
    }

    /// Writes the value (no header, no padding). `transactionID` keys the XOR addresses.
    func writeValue(into buffer: inout ByteBuffer, transactionID: StunTransactionID) {
        switch self {
        case .mappedAddress(let address), .alternateServer(let address):
            address.write(into: &buffer)
        case .xorMappedAddress(let address), .xorPeerAddress(let address), .xorRelayedAddress(let address):
            address.xored(with: transactionID).write(into: &buffer)
        case .username(let text), .realm(let text), .nonce(let text), .software(let text), .alternateDomain(let text):
            buffer.writeString(text)
        case .messageIntegrity(let bytes), .messageIntegritySHA256(let bytes), .userhash(let bytes),
            .unknown(_, let bytes):
            buffer.writeBytes(bytes)
        case .fingerprint(let value):
            buffer.writeInteger(value)
        case .errorCode(let error):
            error.write(into: &buffer)
        case .addressErrorCode(let family, let error):
            error.write(into: &buffer, leadingByte: family.rawValue)
        case .unknownAttributes(let types):
            for type in types { buffer.writeInteger(type.rawValue) }
        case .passwordAlgorithms(let algorithms):
            for algorithm in algorithms {
                algorithm.write(into: &buffer)
                buffer.writeRepeatingByte(0, count: Self.padded(algorithm.wireLength) - algorithm.wireLength)
            }
        case .passwordAlgorithm(let algorithm):
            algorithm.write(into: &buffer)
        case .priority(let value), .lifetime(let value):
            buffer.writeInteger(value)
        case .useCandidate, .dontFragment:
            break
        case .iceControlled(let value), .iceControlling(let value), .reservationToken(let value):
            buffer.writeInteger(value)
        case .channelNumber(let channel):
            buffer.writeInteger(channel)
            buffer.writeInteger(UInt16(0))
        case .data(let payload):
            buffer.writeImmutableBuffer(payload)
        case .requestedAddressFamily(let family), .additionalAddressFamily(let family):
            buffer.writeInteger(family.rawValue)
            buffer.writeRepeatingByte(0, count: 3)
        case .evenPort(let reserveNextPort):
            buffer.writeInteger(reserveNextPort ? UInt8(0x80) : 0)
        case .requestedTransport(let protocolNumber):
            buffer.writeInteger(protocolNumber)
            buffer.writeRepeatingByte(0, count: 3)
        case .icmp(let type, let code, let errorData):
            buffer.writeInteger(UInt16(0))
            buffer.writeInteger(UInt16(type & 0x7F) << 9 | (code & 0x01FF))
            buffer.writeInteger(errorData)
        }
    }

    /// Decodes one attribute value; `value` holds exactly the value bytes (padding excluded).
    static func decode(
        type: StunAttributeType, value: ByteBuffer, transactionID: StunTransactionID
    ) throws(StunParseError) -> StunAttribute {
        let start = value.readerIndex
        switch type {
        case .mappedAddress:
            return .mappedAddress(try StunAddress.decode(value, type: type))
        case .alternateServer:
            return .alternateServer(try StunAddress.decode(value, type: type))
        case .xorMappedAddress:
            return .xorMappedAddress(try StunAddress.decode(value, type: type).xored(with: transactionID))
        case .xorPeerAddress:
            return .xorPeerAddress(try StunAddress.decode(value, type: type).xored(with: transactionID))
        case .xorRelayedAddress:
            return .xorRelayedAddress(try StunAddress.decode(value, type: type).xored(with: transactionID))
        case .username:
            return .username(try decodeUTF8(value, from: start, type: type))
        case .realm:
            return .realm(try decodeUTF8(value, from: start, type: type))
        case .nonce:
            return .nonce(try decodeUTF8(value, from: start, type: type))
        case .software:
            return .software(try decodeUTF8(value, from: start, type: type))
        case .alternateDomain:
            return .alternateDomain(try decodeUTF8(value, from: start, type: type))
        case .messageIntegrity:
            return .messageIntegrity(try bytes(value, count: 20, type: type))
        case .messageIntegritySHA256:
            guard (16...32).contains(value.readableBytes), value.readableBytes % 4 == 0 else {
                throw .invalidAttributeValue(type: type, reason: "length \(value.readableBytes) is not 16, 20, 24, 28 or 32")
            }
            return .messageIntegritySHA256(try bytes(value, count: value.readableBytes, type: type))
        case .userhash:
            return .userhash(try bytes(value, count: 32, type: type))
        case .fingerprint:
            return .fingerprint(try integer(value, type: type))
        case .errorCode:
            return .errorCode(try StunErrorCode.decode(value, type: type))
        case .addressErrorCode:
            let error = try StunErrorCode.decode(value, type: type)
            return .addressErrorCode(family: try family(value, type: type), error: error)
        case .unknownAttributes:
            guard value.readableBytes % 2 == 0 else {
                throw .invalidAttributeValue(type: type, reason: "odd length \(value.readableBytes)")
            }
            let types = stride(from: start, to: start + value.readableBytes, by: 2).compactMap { index in
                value.getInteger(at: index, as: UInt16.self).map(StunAttributeType.init(rawValue:))
            }
            return .unknownAttributes(types)
        case .passwordAlgorithms:
            var algorithms: [StunPasswordAlgorithm] = []
            var index = start
            while index < start + value.readableBytes {
                let entry = try StunPasswordAlgorithm.decode(value, at: index, type: type)
                algorithms.append(entry.algorithm)
                index = entry.next
            }
            return .passwordAlgorithms(algorithms)
        case .passwordAlgorithm:
            let entry = try StunPasswordAlgorithm.decode(value, at: start, type: type)
            guard entry.algorithm.wireLength == value.readableBytes else {
                throw .invalidAttributeValue(type: type, reason: "parameter length disagrees with attribute length")
            }
            return .passwordAlgorithm(entry.algorithm)
        case .priority:
            return .priority(try integer(value, type: type))
        case .lifetime:
            return .lifetime(try integer(value, type: type))
        case .iceControlled:
            return .iceControlled(tieBreaker: try integer(value, type: type))
        case .iceControlling:
            return .iceControlling(tieBreaker: try integer(value, type: type))
        case .reservationToken:
            return .reservationToken(try integer(value, type: type))
        case .useCandidate:
            try expectEmpty(value, type: type)
            return .useCandidate
        case .dontFragment:
            try expectEmpty(value, type: type)
            return .dontFragment
        case .channelNumber:
            let word: UInt32 = try integer(value, type: type)
            return .channelNumber(UInt16(truncatingIfNeeded: word >> 16))
        case .data:
            return .data(value)
        case .requestedAddressFamily:
            let _: UInt32 = try integer(value, type: type)
            return .requestedAddressFamily(try family(value, type: type))
        case .additionalAddressFamily:
            let _: UInt32 = try integer(value, type: type)
            return .additionalAddressFamily(try family(value, type: type))
        case .evenPort:
            // RFC 8656 §18.6 gives EVEN-PORT a 1-byte value; the R flag is its top bit.
            let flags: UInt8 = try integer(value, type: type)
            return .evenPort(reserveNextPort: flags & 0x80 != 0)
        case .requestedTransport:
            let word: UInt32 = try integer(value, type: type)
            return .requestedTransport(UInt8(truncatingIfNeeded: word >> 24))
        case .icmp:
            let word: UInt64 = try integer(value, type: type)
            let typeAndCode = UInt16(truncatingIfNeeded: word >> 32)
            return .icmp(
                type: UInt8(truncatingIfNeeded: typeAndCode >> 9), code: typeAndCode & 0x01FF,
                errorData: UInt32(truncatingIfNeeded: word))
        default:
            return .unknown(type: type, value: Array(value.readableBytesView))
        }
    }

    // MARK: Checked reads shared by the attribute decoders

    /// Rounds a length up to the 4-byte boundary every attribute is padded to.
    static func padded(_ length: Int) -> Int {
        (length + 3) & ~3
    }

    /// Decodes UTF-8 text from `index` to the end of `value`, rejecting invalid sequences
    /// rather than replacing them, so a USERNAME that is not text cannot collide with one that is.
    static func decodeUTF8(_ value: ByteBuffer, from index: Int, type: StunAttributeType) throws(StunParseError) -> String {
        let length = value.readerIndex + value.readableBytes - index
        guard length >= 0, let text = value.getString(at: index, length: length) else {
            throw .invalidAttributeValue(type: type, reason: "text overruns the value")
        }
        guard text.utf8.count == length, text.utf8.elementsEqual(value.readableBytesView.suffix(length)) else {
            throw .invalidAttributeValue(type: type, reason: "text is not valid UTF-8")
        }
        return text
    }

    private static func bytes(_ value: ByteBuffer, count: Int, type: StunAttributeType) throws(StunParseError) -> [UInt8] {
        guard value.readableBytes == count, let bytes = value.getBytes(at: value.readerIndex, length: count) else {
            throw .invalidAttributeValue(type: type, reason: "length \(value.readableBytes), expected \(count)")
        }
        return bytes
    }

    /// Reads a value that must be exactly as long as `Integer`.
    private static func integer<Integer: FixedWidthInteger>(
        _ value: ByteBuffer, type: StunAttributeType
    ) throws(StunParseError) -> Integer {
        guard value.readableBytes == MemoryLayout<Integer>.size,
            let integer = value.getInteger(at: value.readerIndex, as: Integer.self)
        else {
            throw .invalidAttributeValue(
                type: type, reason: "length \(value.readableBytes), expected \(MemoryLayout<Integer>.size)")
        }
        return integer
    }

    private static func family(_ value: ByteBuffer, type: StunAttributeType) throws(StunParseError) -> StunAddress.Family {
        guard let byte = value.getInteger(at: value.readerIndex, as: UInt8.self) else {
            throw .invalidAttributeValue(type: type, reason: "no address family")
        }
        guard let family = StunAddress.Family(rawValue: byte) else { throw .unknownAddressFamily(type: type, family: byte) }
        return family
    }

    private static func expectEmpty(_ value: ByteBuffer, type: StunAttributeType) throws(StunParseError) {
        guard value.readableBytes == 0 else {
            throw .invalidAttributeValue(type: type, reason: "length \(value.readableBytes), expected 0")
        }
    }
}
