import XCTest

@testable import STUN

final class StunMessageTypeTests: XCTestCase {
    func testKnownTypesHaveTheirRFCNumbers() {
        let expectations: [(StunMethod, StunMessageClass, UInt16)] = [
            (.binding, .request, 0x0001), (.binding, .indication, 0x0011),
            (.binding, .successResponse, 0x0101), (.binding, .errorResponse, 0x0111),
            (.allocate, .request, 0x0003), (.allocate, .successResponse, 0x0103),
            (.allocate, .errorResponse, 0x0113), (.refresh, .request, 0x0004),
            (.send, .indication, 0x0016), (.data, .indication, 0x0017),
            (.createPermission, .request, 0x0008), (.channelBind, .request, 0x0009),
            (.channelBind, .successResponse, 0x0109),
        ]
        for (method, messageClass, rawValue) in expectations {
            let type = StunMessageType(method: method, messageClass: messageClass)
            XCTAssertEqual(type.rawValue, rawValue, "\(type)")
            XCTAssertEqual(StunMessageType(rawValue: rawValue), type)
        }
    }

    func testEveryMethodAndClassRoundTripsThroughTheInterleavedBits() throws {
        for methodNumber in UInt16(0)...0x0FFF {
            let method = try XCTUnwrap(StunMethod(rawValue: methodNumber))
            for messageClass in StunMessageClass.allCases {
                let type = StunMessageType(method: method, messageClass: messageClass)
                XCTAssertEqual(type.rawValue & 0xC000, 0)
                XCTAssertEqual(StunMessageType(rawValue: type.rawValue), type)
            }
        }
    }

    func testUnknownMethodSurvivesDecodeAndEncode() throws {
        let method = try XCTUnwrap(StunMethod(rawValue: 0xABC))
        let message = StunMessage(messageType: StunMessageType(method: method, messageClass: .errorResponse))

        let decoded = try StunMessage(decoding: message.encoded())

        XCTAssertEqual(decoded.messageType.method, method)
        XCTAssertEqual(decoded.messageType.messageClass, .errorResponse)
        XCTAssertEqual(decoded.messageType.method.description, "Method(0xABC)")
    }

    func testMethodNumbersBeyondTwelveBitsAreRejected() {
        XCTAssertNil(StunMethod(rawValue: 0x1000))
    }
}
