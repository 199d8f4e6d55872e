import NIOCore

/// An ERROR-CODE value (RFC 8489 §14.8): a code from 300 to 699 and a reason phrase.
///
/// Invariant: `300 <= code <= 699`, so the class (hundreds, 3–6) and number (0–99) the wire
/// format splits it into always fit.
public struct StunErrorCode: Hashable, Sendable {
    public let code: UInt16
    /// UTF-8 text for a human; RFC 8489 asks for fewer than 128 characters.
    public let reason: String

    /// `reason` defaults to the phrase the RFCs give for a standard code, or "Error".
    /// - Precondition: `code` is in 300...699.
    public init(code: UInt16, reason: String? = nil) {
        precondition((300...699).contains(code), "STUN error codes run from 300 to 699, got \(code)")
        self.code = code
        self.reason = reason ?? Self.standardReasons[code] ?? "Error"
    }

    // RFC 8489 §14.8
    public static let tryAlternate = StunErrorCode(code: 300)
    public static let badRequest = StunErrorCode(code: 400)
    public static let unauthorized = StunErrorCode(code: 401)
    public static let unknownAttribute = StunErrorCode(code: 420)
    public static let staleNonce = StunErrorCode(code: 438)
    public static let roleConflict = StunErrorCode(code: 487)
    public static let serverError = StunErrorCode(code: 500)
    // RFC 8656 §19 (TURN)
    public static let forbidden = StunErrorCode(code: 403)
    public static let allocationMismatch = StunErrorCode(code: 437)
    public static let addressFamilyNotSupported = StunErrorCode(code: 440)
    public static let wrongCredentials = StunErrorCode(code: 441)
    public static let unsupportedTransportProtocol = StunErrorCode(code: 442)
    public static let peerAddressFamilyMismatch = StunErrorCode(code: 443)
    public static let allocationQuotaReached = StunErrorCode(code: 486)
    public static let insufficientCapacity = StunErrorCode(code: 508)

    private static let standardReasons: [UInt16: String] = [
        300: "Try Alternate",
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        420: "Unknown Attribute",
        437: "Allocation Mismatch",
        438: "Stale Nonce",
        440: "Address Family not Supported",
        441: "Wrong Credentials",
        442: "Unsupported Transport Protocol",
        443: "Peer Address Family Mismatch",
        486: "Allocation Quota Reached",
        487: "Role Conflict",
        500: "Server Error",
        508: "Insufficient Capacity",
    ]

    // MARK: Wire format: 21 reserved bits, 3-bit class, 8-bit number, reason phrase.

    var wireLength: Int {
        4 + self.reason.utf8.count
    }

    /// Writes the four bytes after the reserved prefix plus the reason; `leadingByte` is zero
    /// for ERROR-CODE and the address family for ADDRESS-ERROR-CODE, which shares the layout.
    func write(into buffer: inout ByteBuffer, leadingByte: UInt8 = 0) {
        buffer.writeInteger(leadingByte)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt8(self.code / 100))
        buffer.writeInteger(UInt8(self.code % 100))
        buffer.writeString(self.reason)
    }

    static func decode(_ value: ByteBuffer, type: StunAttributeType) throws(StunParseError) -> StunErrorCode {
        let start = value.readerIndex
        guard let classByte = value.getInteger(at: start + 2, as: UInt8.self),
            let number = value.getInteger(at: start + 3, as: UInt8.self)
        else {
            throw .invalidAttributeValue(type: type, reason: "error code value of \(value.readableBytes) bytes is too short")
        }
        let errorClass = classByte & 0x07
        guard (3...6).contains(errorClass), number < 100 else {
            throw .invalidAttributeValue(type: type, reason: "class \(errorClass) number \(number) is not an error code")
        }
        let reason = try StunAttribute.decodeUTF8(value, from: start + 4, type: type)
        return StunErrorCode(code: UInt16(errorClass) * 100 + UInt16(number), reason: reason)
    }
}

extension StunErrorCode: CustomStringConvertible {
    public var description: String {
        "\(self.code) \(self.reason)"
    }
}
