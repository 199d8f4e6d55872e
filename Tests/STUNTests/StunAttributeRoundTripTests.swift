import NIOCore
import XCTest

@testable import STUN

final class StunAttributeRoundTripTests: XCTestCase {
    private static let ipv4 = StunAddress(ipv4: 0xC633_6407, port: 3478)
    private static let ipv6 = StunAddress(ipv6Upper: 0x2001_0DB8_0000_0000, lower: 0x0000_0000_0000_0001, port: 65535)

    /// One of every attribute the module decodes, plus unknown ones of every padding length.
    static let everyAttribute: [StunAttribute] = [
        .mappedAddress(ipv4), .mappedAddress(ipv6),
        .xorMappedAddress(ipv4), .xorMappedAddress(ipv6),
        .username("alice"), .username(""),
        .errorCode(.staleNonce), .errorCode(StunErrorCode(code: 699, reason: "Ünïcode reason")),
        .unknownAttributes([StunAttributeType(rawValue: 0x0031), .dontFragment, StunAttributeType(rawValue: 0x7FFF)]),
        .realm("example.org"), .nonce("f//499k954d6OL34oL9FSTvy64sA"),
        .passwordAlgorithms([.md5, .sha256, StunPasswordAlgorithm(number: 0x1234, parameters: [1, 2, 3])]),
        .passwordAlgorithm(.sha256),
        .passwordAlgorithm(StunPasswordAlgorithm(number: 9, parameters: [7, 7, 7, 7, 7])),
        .userhash(Array(0..<32)),
        .software("sfu-server 1.0"),
        .alternateServer(ipv4), .alternateServer(ipv6),
        .alternateDomain("turn.example.org"),
        .priority(0x6E00_01FF), .useCandidate,
        .iceControlled(tieBreaker: 0x932F_F9B1_5126_3B36), .iceControlling(tieBreaker: .max),
        .channelNumber(0x4001), .lifetime(600),
        .xorPeerAddress(ipv4), .xorPeerAddress(ipv6),
        .data(ByteBuffer(bytes: [1, 2, 3, 4, 5])), .data(ByteBuffer()),
        .xorRelayedAddress(ipv4), .xorRelayedAddress(ipv6),
        .requestedAddressFamily(.ipv6), .evenPort(reserveNextPort: true), .evenPort(reserveNextPort: false),
        .requestedTransport(17), .dontFragment, .reservationToken(0x0102_0304_0506_0708),
        .additionalAddressFamily(.ipv6),
        .addressErrorCode(family: .ipv6, error: .addressFamilyNotSupported),
        .icmp(type: 127, code: 511, errorData: 1400),
        .unknown(type: StunAttributeType(rawValue: 0x7FF0), value: []),
        .unknown(type: StunAttributeType(rawValue: 0x7FF1), value: [1]),
        .unknown(type: StunAttributeType(rawValue: 0xC001), value: [1, 2]),
        .unknown(type: StunAttributeType(rawValue: 0xC002), value: [1, 2, 3]),
        .unknown(type: StunAttributeType(rawValue: 0xC003), value: [1, 2, 3, 4]),
    ]

    func testEveryAttributeRoundTripsInOneMessage() throws {
        let message = StunMessage(messageType: .bindingRequest, attributes: Self.everyAttribute)

        let encoded = try message.encoded()
        let decoded = try StunMessage(decoding: encoded)

        XCTAssertEqual(decoded.attributes, Self.everyAttribute)
        XCTAssertEqual(decoded, message)
        XCTAssertEqual(encoded.readableBytes % 4, 0)
    }

    func testEachAttributeRoundTripsAloneWithZeroPadding() throws {
        for attribute in Self.everyAttribute {
            let message = StunMessage(messageType: .bindingSuccessResponse, attributes: [attribute])

            let encoded = try message.encoded()
            let decoded = try StunMessage(decoding: encoded)

            XCTAssertEqual(decoded.attributes, [attribute], "\(attribute.type)")
            let valueLength = Int(try XCTUnwrap(encoded.getInteger(at: 22, as: UInt16.self)))
            XCTAssertEqual(encoded.readableBytes, 24 + (valueLength + 3) / 4 * 4, "\(attribute.type)")
            XCTAssertTrue(encoded.bytes[(24 + valueLength)...].allSatisfy { $0 == 0 }, "padding of \(attribute.type)")
        }
    }

    func testUnknownAttributesAreReencodedUnchanged() throws {
        let raw = TestMessages.raw(attributes: [(0x7ABC, [9, 8, 7]), (0xFEED, [1, 2, 3, 4, 5, 6])], padding: 0)

        let decoded = try StunMessage(decoding: raw)

        XCTAssertEqual(try decoded.encoded().bytes, raw)
        XCTAssertEqual(decoded.unknownComprehensionRequiredAttributes, [StunAttributeType(rawValue: 0x7ABC)])
    }

    func testPaddingBytesMayHoldAnyValue() throws {
        let raw = TestMessages.raw(attributes: [(0x0006, Array("bob".utf8)), (0x8022, [0x41])], padding: 0xFF)

        let decoded = try StunMessage(decoding: raw)

        XCTAssertEqual(decoded.username, "bob")
        XCTAssertEqual(decoded.software, "A")
    }

    func testDataIsASliceOfTheReceivedBuffer() throws {
        let payload = ByteBuffer(bytes: Array(repeating: 0x5A, count: 1000))
        let encoded = try StunMessage(messageType: StunMessageType(method: .send, messageClass: .indication),
                                      attributes: [.xorPeerAddress(Self.ipv4), .data(payload)]).encoded()

        let decoded = try StunMessage(decoding: encoded)

        XCTAssertEqual(decoded.data, payload)
        XCTAssertEqual(decoded.xorPeerAddresses, [Self.ipv4])
    }

    func testRepeatedPeerAddressesAreAllKeptInOrder() throws {
        let peers = [Self.ipv4, Self.ipv6, StunAddress(ipv4: 0x0A00_0001, port: 1)]
        let message = StunMessage(
            messageType: StunMessageType(method: .createPermission, messageClass: .request),
            attributes: peers.map(StunAttribute.xorPeerAddress))

        XCTAssertEqual(try StunMessage(decoding: message.encoded()).xorPeerAddresses, peers)
    }

    func testTypedAccessorsReturnTheFirstOccurrence() throws {
        let message = StunMessage(
            messageType: StunMessageType(method: .allocate, messageClass: .request),
            attributes: [
                .lifetime(600), .lifetime(1), .requestedTransport(17), .channelNumber(0x4000), .dontFragment,
                .evenPort(reserveNextPort: true), .reservationToken(42), .requestedAddressFamily(.ipv4),
                .additionalAddressFamily(.ipv6), .useCandidate, .iceControlling(tieBreaker: 7),
                .errorCode(.badRequest), .xorRelayedAddress(Self.ipv6),
            ])

        XCTAssertEqual(message.lifetime, 600)
        XCTAssertEqual(message.requestedTransport, 17)
        XCTAssertEqual(message.channelNumber, 0x4000)
        XCTAssertTrue(message.dontFragment)
        XCTAssertEqual(message.evenPortReservesNextPort, true)
        XCTAssertEqual(message.reservationToken, 42)
        XCTAssertEqual(message.requestedAddressFamily, .ipv4)
        XCTAssertEqual(message.additionalAddressFamily, .ipv6)
        XCTAssertTrue(message.useCandidate)
        XCTAssertEqual(message.iceControlling, 7)
        XCTAssertNil(message.iceControlled)
        XCTAssertEqual(message.errorCode, .badRequest)
        XCTAssertEqual(message.xorRelayedAddress, Self.ipv6)
        XCTAssertNil(message.username)
    }

    func testOversizedAttributeIsRefusedWithoutWriting() {
        let message = StunMessage(
            messageType: StunMessageType(method: .data, messageClass: .indication),
            attributes: [.data(ByteBuffer(repeating: 0, count: 70_000))])
        var buffer = ByteBuffer()

        XCTAssertThrowsError(try message.encode(into: &buffer)) { error in
            XCTAssertEqual(error as? StunEncodingError, .attributeTooLong(type: .data, length: 70_000))
        }
        XCTAssertEqual(buffer.readableBytes, 0)
    }

    func testMessageLongerThanTheLengthFieldIsRefused() {
        let message = StunMessage(
            messageType: StunMessageType(method: .data, messageClass: .indication),
            attributes: [.data(ByteBuffer(repeating: 0, count: 65_507)), .xorPeerAddress(Self.ipv6)])

        XCTAssertThrowsError(try message.encoded()) { error in
            XCTAssertEqual(error as? StunEncodingError, .messageTooLong(length: 4 + 65_508 + 24))
        }
    }
}
