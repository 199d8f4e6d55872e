import NIOCore
import XCTest

@testable import STUN

final class MalformedInputTests: XCTestCase {
    func testEveryTruncationOfEveryVectorIsAnErrorNotACrash() {
        for vector in RFC5769.all {
            for length in 0..<vector.count {
                XCTAssertThrowsError(try StunMessage(decoding: Array(vector.prefix(length)))) { error in
                    let expected: StunParseError =
                        length < 20
                        ? .truncatedHeader(available: length)
                        : .lengthMismatch(declared: vector.count - 20, available: length - 20)
                    XCTAssertEqual(error as? StunParseError, expected)
                }
            }
        }
    }

    func testTrailingBytesAfterTheDeclaredLengthAreRejected() {
        XCTAssertThrowsError(try StunMessage(decoding: RFC5769.sampleRequest + [0, 0, 0, 0])) { error in
            XCTAssertEqual(error as? StunParseError, .lengthMismatch(declared: 88, available: 92))
        }
    }

    func testBadMagicCookieIsRejected() {
        var bytes = RFC5769.sampleRequest
        bytes[4] = 0x22

        XCTAssertThrowsError(try StunMessage(decoding: bytes)) { error in
            XCTAssertEqual(error as? StunParseError, .badMagicCookie(0x2212_A442))
        }
    }

    func testLeadingBitsSetMeansNotStun() {
        var bytes = RFC5769.sampleRequest
        bytes[0] = 0x40

        XCTAssertThrowsError(try StunMessage(decoding: bytes)) { error in
            XCTAssertEqual(error as? StunParseError, .notStun(firstByte: 0x40))
        }
    }

    func testLengthNotAMultipleOfFourIsRejected() {
        let bytes = TestMessages.raw(attributes: [(0x0006, [0x61])], lengthAdjustment: -2)

        XCTAssertThrowsError(try StunMessage(decoding: bytes)) { error in
            XCTAssertEqual(error as? StunParseError, .lengthNotMultipleOfFour(6))
        }
    }

    func testAttributeRunningPastTheMessageIsAnOverrun() {
        var bytes = TestMessages.raw(attributes: [(0x0006, Array("alice".utf8))])
        bytes[23] = 0x09  // USERNAME claims 9 bytes; 8 remain

        XCTAssertThrowsError(try StunMessage(decoding: bytes)) { error in
            XCTAssertEqual(error as? StunParseError, .attributeOverrun(type: .username, declaredLength: 9, remaining: 8))
        }
    }

    func testMalformedKnownAttributeValuesNameTheirType() {
        let cases: [(UInt16, [UInt8], StunAttributeType)] = [
            (0x0020, [0, 3, 0, 0, 1, 2, 3, 4], .xorMappedAddress),  // family 3
            (0x0001, [0, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], .mappedAddress),  // IPv4 with 8 address bytes
            (0x0024, [1, 2, 3], .priority),
            (0x0006, [0x61, 0xFF, 0x62], .username),  // not UTF-8
            (0x0009, [0, 0, 2, 0], .errorCode),  // class 2
            (0x0009, [0, 0, 4, 100], .errorCode),  // number 100
            (0x0008, Array(repeating: 0, count: 19), .messageIntegrity),
            (0x001C, Array(repeating: 0, count: 12), .messageIntegritySHA256),
            (0x001E, Array(repeating: 0, count: 31), .userhash),
            (0x0025, [1], .useCandidate),
            (0x000A, [0, 1, 0], .unknownAttributes),
            (0x8002, [0, 1, 0, 8, 0, 0], .passwordAlgorithms),
            (0x001D, [0, 2, 0, 1], .passwordAlgorithm),
            (0x8004, [0, 0, 0, 0], .icmp),
        ]
        for (type, value, expectedType) in cases {
            XCTAssertThrowsError(try StunMessage(decoding: TestMessages.raw(attributes: [(type, value)]))) { error in
                guard case .invalidAttributeValue(let reportedType, _) = error as? StunParseError else {
                    return XCTFail("\(expectedType): \(error)")
                }
                XCTAssertEqual(reportedType, expectedType)
            }
        }
    }

    func testAnUnknownAddressFamilyIsNamed() {
        XCTAssertThrowsError(try StunMessage(decoding: TestMessages.raw(attributes: [(0x0017, [3, 0, 0, 0])]))) { error in
            XCTAssertEqual(error as? StunParseError, .unknownAddressFamily(type: .requestedAddressFamily, family: 3))
        }
    }

    func testHeaderStillDecodesWhenTheBodyDoesNotSoAServerCanAnswer() throws {
        let allocate = TestMessages.raw(type: 0x0003, attributes: [(0x0017, [3, 0, 0, 0])])
        XCTAssertThrowsError(try StunMessage(decoding: allocate))

        let header = try StunMessageHeader(decoding: ByteBuffer(bytes: allocate))
        let response = StunMessage.errorResponse(to: header, error: .addressFamilyNotSupported)
        let decoded = try StunMessage(decoding: response.encoded())

        XCTAssertEqual(decoded.messageType, StunMessageType(method: .allocate, messageClass: .errorResponse))
        XCTAssertEqual(decoded.transactionID.bytes, TestMessages.transactionID)
        XCTAssertEqual(decoded.errorCode?.code, 440)
    }

    func testTenThousandRandomBuffersNeverTrap() {
        var generator = SeededGenerator(seed: 0x5354_554E)
        for _ in 0..<10_000 {
            let length = Int.random(in: 0..<160, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Half the time start like STUN, so the parser gets past the header.
            if length >= 20, Bool.random(using: &generator) {
                bytes[0] &= 0x3F
                bytes.replaceSubrange(4..<8, with: [0x21, 0x12, 0xA4, 0x42])
                let declared = (length - 20) & ~3
                bytes[2] = UInt8(declared >> 8)
                bytes[3] = UInt8(declared & 0xFF)
                bytes = Array(bytes.prefix(20 + declared))
            }
            Self.exercise(bytes)
        }
    }

    func testRandomAttributeSoupAfterAValidHeaderNeverTraps() {
        var generator = SeededGenerator(seed: 42)
        let knownTypes = StunAttributeRoundTripTests.everyAttribute.map(\.type.rawValue)
        for _ in 0..<5_000 {
            var attributes: [(UInt16, [UInt8])] = []
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let type = Bool.random(using: &generator) ? knownTypes.randomElement(using: &generator) ?? 0 : UInt16.random(in: 0...0xFFFF, using: &generator)
                let value = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                attributes.append((type, value))
            }
            Self.exercise(TestMessages.raw(attributes: attributes, padding: UInt8.random(in: 0...255, using: &generator)))
        }
    }

    func testBitFlippedVectorsNeverTrap() {
        var generator = SeededGenerator(seed: 7)
        for round in 0..<10_000 {
            var bytes = RFC5769.all[round % RFC5769.all.count]
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: bytes.indices, using: &generator)
                bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &generator)
            }
            Self.exercise(bytes)
        }
    }

    /// Feeds bytes to every decoder and every check a server would run on them.
    private static func exercise(_ bytes: [UInt8]) {
        let buffer = ByteBuffer(bytes: bytes)
        if let message = try? StunMessage(decoding: buffer) {
            _ = message.verifyMessageIntegrity(key: StunCredentials.shortTermKey(password: RFC5769.shortTermPassword))
            _ = message.verifyFingerprint()
            _ = message.unknownComprehensionRequiredAttributes
            _ = message.xorPeerAddresses.map(\.description)
            _ = try? message.encoded(integrityKey: StunIntegrityKey(bytes: [1]), integrityAlgorithms: [.hmacSHA1, .hmacSHA256], fingerprint: true)
        }
        _ = try? StunMessageHeader(decoding: buffer)
        _ = try? ChannelData(decoding: buffer)
        _ = try? StreamFraming.frameLength(in: buffer)
        _ = PacketClassifier.classify(buffer)
    }
}
