import XCTest

@testable import STUN

final class StunCredentialsTests: XCTestCase {
    func testShortTermKeyIsThePasswordBytes() {
        XCTAssertEqual(StunCredentials.shortTermKey(password: "pwd").bytes, [0x70, 0x77, 0x64])
    }

    func testLongTermMD5KeyHashesUsernameRealmAndPassword() {
        XCTAssertEqual(
            StunCredentials.longTermKey(username: "user", realm: "realm", password: "pass")?.bytes,
            hexBytes("84 93 fb c5 3b a5 82 fb 4c 04 4c 45 6b dc 40 eb"))
    }

    func testUnknownPasswordAlgorithmHasNoKey() {
        XCTAssertNil(
            StunCredentials.longTermKey(
                username: "user", realm: "realm", password: "pass", algorithm: StunPasswordAlgorithm(number: 3)))
    }

    func testKeysNeverPrintTheirBytes() {
        XCTAssertEqual(StunCredentials.shortTermKey(password: "hunter2").description, "StunIntegrityKey(7 bytes)")
    }
}
