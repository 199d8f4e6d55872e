import NIOCore
import XCTest

@testable import STUN

final class StunErrorCodeTests: XCTestCase {
    func testStandardCodesCarryTheirRFCReasonPhrases() {
        let expected: [(StunErrorCode, UInt16, String)] = [
            (.tryAlternate, 300, "Try Alternate"), (.badRequest, 400, "Bad Request"),
            (.unauthorized, 401, "Unauthorized"), (.forbidden, 403, "Forbidden"),
            (.unknownAttribute, 420, "Unknown Attribute"), (.allocationMismatch, 437, "Allocation Mismatch"),
            (.staleNonce, 438, "Stale Nonce"), (.addressFamilyNotSupported, 440, "Address Family not Supported"),
            (.wrongCredentials, 441, "Wrong Credentials"),
            (.unsupportedTransportProtocol, 442, "Unsupported Transport Protocol"),
            (.peerAddressFamilyMismatch, 443, "Peer Address Family Mismatch"),
            (.allocationQuotaReached, 486, "Allocation Quota Reached"), (.roleConflict, 487, "Role Conflict"),
            (.serverError, 500, "Server Error"), (.insufficientCapacity, 508, "Insufficient Capacity"),
        ]
        for (error, code, reason) in expected {
            XCTAssertEqual(error.code, code)
            XCTAssertEqual(error.reason, reason)
            XCTAssertEqual(StunErrorCode(code: code), error)
        }
        XCTAssertEqual(StunErrorCode(code: 499).reason, "Error")
    }

    func testWireLayoutSplitsClassAndNumber() throws {
        let message = StunMessage(messageType: .bindingErrorResponse, attributes: [.errorCode(.staleNonce)])

        let encoded = try message.encoded()

        XCTAssertEqual(encoded.bytes[20..<28], [0x00, 0x09, 0x00, 0x0F, 0x00, 0x00, 0x04, 38])
        XCTAssertEqual(Array(encoded.bytes[28..<39]), Array("Stale Nonce".utf8))
    }

    func testAddressErrorCodeCarriesTheFamilyInItsFirstByte() throws {
        let message = StunMessage(
            messageType: StunMessageType(method: .allocate, messageClass: .successResponse),
            attributes: [.addressErrorCode(family: .ipv6, error: .insufficientCapacity)])

        let encoded = try message.encoded()

        XCTAssertEqual(encoded.bytes[24..<28], [0x02, 0x00, 0x05, 0x08])
        XCTAssertEqual(try StunMessage(decoding: encoded), message)
    }
}
