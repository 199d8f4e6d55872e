import NIOCore
import XCTest

@testable import SFU
@testable import STUN

/// A connectivity check as a controlling browser builds it (RFC 8445 §7.2.2), with knobs to
/// break each part the ICE-lite server checks.
struct IceCheck {
    /// What the client signals as its own ufrag; the server never learns it.
    static let remoteUsernameFragment = "Zx9q"
    /// A host-candidate priority as Chrome computes it.
    static let clientPriority: UInt32 = 2_122_260_223

    var username: String?
    /// MESSAGE-INTEGRITY is computed with this password; nil leaves it out.
    var password: String?
    var messageType = StunMessageType.bindingRequest
    var priority: UInt32? = IceCheck.clientPriority
    var useCandidate = false
    var nomination: UInt32?
    var iceControlling: UInt64? = 0x0102_0304_0506_0708
    var iceControlled: UInt64?
    var fingerprint = true
    var extraAttributes: [StunAttribute] = []
    var transactionID = StunTransactionID.random()

    /// A valid check for `parameters`, as the peer that received them in signaling sends it.
    init(for parameters: IceParameters, useCandidate: Bool = false) {
        self.username = "\(parameters.usernameFragment):\(Self.remoteUsernameFragment)"
        self.password = parameters.password
        self.useCandidate = useCandidate
    }

    var message: StunMessage {
        var attributes: [StunAttribute] = []
        if let username { attributes.append(.username(username)) }
        if let iceControlling { attributes.append(.iceControlling(tieBreaker: iceControlling)) }
        if let iceControlled { attributes.append(.iceControlled(tieBreaker: iceControlled)) }
        if useCandidate { attributes.append(.useCandidate) }
        if let priority { attributes.append(.priority(priority)) }
        if let nomination {
            let bytes = (0..<4).map { UInt8(truncatingIfNeeded: nomination >> (24 - 8 * $0)) }
            attributes.append(.unknown(type: IceServer.nominationAttributeType, value: bytes))
        }
        attributes += extraAttributes
        return StunMessage(messageType: messageType, transactionID: transactionID, attributes: attributes)
    }

    func encoded() throws -> ByteBuffer {
        try message.encoded(
            integrityKey: password.map { StunCredentials.shortTermKey(password: $0) }, fingerprint: fingerprint)
    }

    /// The check with one byte of PRIORITY changed after MESSAGE-INTEGRITY was computed and a
    /// FINGERPRINT computed over the changed bytes, as a middlebox rewriting the packet would
    /// leave it: FINGERPRINT passes, MESSAGE-INTEGRITY must not.
    func encodedWithTamperedPriority() throws -> ByteBuffer {
        var unfinished = self
        unfinished.fingerprint = false
        var buffer = try unfinished.encoded()
        let priorityOffset = try XCTUnwrap(Self.offset(of: .priority, in: buffer))
        let valueOffset = priorityOffset + 4
        buffer.setInteger(try XCTUnwrap(buffer.getInteger(at: valueOffset, as: UInt8.self)) ^ 0xFF, at: valueOffset)
        let length = UInt16(buffer.readableBytes - StunMessageHeader.byteCount + Fingerprint.attributeLength)
        let value = Fingerprint.value(message: buffer, start: 0, lengthField: length)
        buffer.writeInteger(StunAttributeType.fingerprint.rawValue)
        buffer.writeInteger(UInt16(4))
        buffer.writeInteger(value)
        buffer.setInteger(length, at: 2)
        return buffer
    }

    private static func offset(of type: StunAttributeType, in buffer: ByteBuffer) -> Int? {
        var offset = StunMessageHeader.byteCount
        while let rawType = buffer.getInteger(at: offset, as: UInt16.self),
            let length = buffer.getInteger(at: offset + 2, as: UInt16.self)
        {
            if rawType == type.rawValue { return offset }
            offset += 4 + StunAttribute.padded(Int(length))
        }
        return nil
    }
}

/// Tuples on one local socket from distinct remote ports.
enum IceTestTuples {
    static let local = try! SocketAddress(ipAddress: "203.0.113.5", port: 44444)

    static func udp(_ index: Int) -> TransportTuple {
        TransportTuple(
            localAddress: local, remoteAddress: try! SocketAddress(ipAddress: "192.0.2.10", port: 50_000 + index),
            transportProtocol: .udp)
    }

    static func tcp(_ index: Int) -> TransportTuple {
        TransportTuple(
            localAddress: local, remoteAddress: try! SocketAddress(ipAddress: "192.0.2.20", port: 51_000 + index),
            transportProtocol: .tcp)
    }
}

extension IceServer {
    /// Every queued event, oldest first.
    mutating func drainEvents() -> [IceServerEvent] {
        var events: [IceServerEvent] = []
        while let event = pollEvent() {
            events.append(event)
        }
        return events
    }
}
