import XCTest

@testable import SFU

final class H264ProfileLevelIdTests: XCTestCase {
    func testParsesKnownProfileLevelIds() throws {
        let table: [(String, H264ProfileLevelId.Profile, H264ProfileLevelId.Level)] = [
            ("42e01f", .constrainedBaseline, .level3_1),
            ("42001f", .baseline, .level3_1),
            ("4d001f", .main, .level3_1),
            ("640032", .high, .level5),
            ("640c1f", .constrainedHigh, .level3_1),
            ("42f00b", .constrainedBaseline, .level1b),
            ("42100b", .baseline, .level1b),
            ("4d100b", .main, .level1b),
            ("42e00b", .constrainedBaseline, .level1_1),
            ("4d0032", .main, .level5),
            ("42C02A", .constrainedBaseline, .level4_2),
            ("4de01f", .constrainedBaseline, .level3_1),
            ("58f01f", .constrainedBaseline, .level3_1),
            ("58a01f", .baseline, .level3_1),
            ("f4001f", .predictiveHigh444, .level3_1),
            ("640c34", .constrainedHigh, .level5_2),
            ("42000a", .baseline, .level1),
        ]
        for (string, profile, level) in table {
            let parsed = try H264ProfileLevelId(string)
            XCTAssertEqual(parsed.profile, profile, string)
            XCTAssertEqual(parsed.level, level, string)
        }
    }

    func testRejectsMalformedAndUnknownValues() {
        let table: [(String, H264ProfileLevelId.ParseError)] = [
            ("", .notThreeHexBytes),
            ("42e01", .notThreeHexBytes),
            ("42e01f0", .notThreeHexBytes),
            ("42e01x", .notThreeHexBytes),
            ("-42e01", .notThreeHexBytes),
            ("000000", .unknownLevel(levelIdc: 0)),
            ("42e00e", .unknownLevel(levelIdc: 0x0E)),
            ("641c1f", .unknownProfile(profileIdc: 0x64, profileIop: 0x1C)),
            ("4d201f", .unknownProfile(profileIdc: 0x4D, profileIop: 0x20)),
            ("42e11f", .unknownProfile(profileIdc: 0x42, profileIop: 0xE1)),
            ("ff001f", .unknownProfile(profileIdc: 0xFF, profileIop: 0x00)),
        ]
        for (string, expected) in table {
            XCTAssertThrowsError(try H264ProfileLevelId(string), string) { error in
                XCTAssertEqual(error as? H264ProfileLevelId.ParseError, expected, string)
            }
        }
    }

    func testCanonicalStrings() throws {
        XCTAssertEqual(H264ProfileLevelId(profile: .constrainedBaseline, level: .level3_1).string, "42e01f")
        XCTAssertEqual(H264ProfileLevelId(profile: .baseline, level: .level1).string, "42000a")
        XCTAssertEqual(H264ProfileLevelId(profile: .main, level: .level5_2).string, "4d0034")
        XCTAssertEqual(H264ProfileLevelId(profile: .constrainedHigh, level: .level4).string, "640c28")
        XCTAssertEqual(H264ProfileLevelId(profile: .high, level: .level5).string, "640032")
        XCTAssertEqual(H264ProfileLevelId(profile: .predictiveHigh444, level: .level3_1).string, "f4001f")
        XCTAssertEqual(H264ProfileLevelId(profile: .constrainedBaseline, level: .level1b).string, "42f00b")
        XCTAssertEqual(H264ProfileLevelId(profile: .baseline, level: .level1b).string, "42100b")
        XCTAssertEqual(H264ProfileLevelId(profile: .main, level: .level1b).string, "4d100b")
        XCTAssertNil(H264ProfileLevelId(profile: .high, level: .level1b).string)
        // Parsing the canonical string of a parsed value gives the same value back.
        for string in ["42e01f", "4d0032", "640c1f", "42f00b", "42e00b", "640034"] {
            let parsed = try H264ProfileLevelId(string)
            XCTAssertEqual(try H264ProfileLevelId(try XCTUnwrap(parsed.string)), parsed)
        }
        XCTAssertEqual(try H264ProfileLevelId("42e01f").description, "constrained baseline 3.1 (42e01f)")
        XCTAssertEqual(try H264ProfileLevelId("42f00b").description, "constrained baseline 1b (42f00b)")
        XCTAssertEqual(try H264ProfileLevelId("640032").description, "high 5 (640032)")
    }

    func testLevelOneBSitsBetweenOneAndOnePointOne() {
        XCTAssertLessThan(H264ProfileLevelId.Level.level1, .level1b)
        XCTAssertLessThan(H264ProfileLevelId.Level.level1b, .level1_1)
        XCTAssertLessThan(H264ProfileLevelId.Level.level3_1, .level4)
        XCTAssertEqual(min(H264ProfileLevelId.Level.level1_1, .level1b), .level1b)
        XCTAssertEqual(H264ProfileLevelId.Level.allCases.sorted().first, .level1)
    }

    func testMissingParameterMeansDefaultConstrainedBaseline31() throws {
        XCTAssertEqual(try H264ProfileLevelId(parameters: [:]), H264ProfileLevelId(profile: .constrainedBaseline, level: .level3_1))
        XCTAssertEqual(try H264ProfileLevelId(parameters: ["profile-level-id": "640c1f"]).profile, .constrainedHigh)
        XCTAssertThrowsError(try H264ProfileLevelId(parameters: ["profile-level-id": 42]))
    }

    func testSameProfileIgnoresLevel() {
        XCTAssertTrue(H264ProfileLevelId.isSameProfile(["profile-level-id": "42e01f"], ["profile-level-id": "42e034"]))
        XCTAssertTrue(H264ProfileLevelId.isSameProfile([:], ["profile-level-id": "42e00a"]))
        XCTAssertTrue(H264ProfileLevelId.isSameProfile(["profile-level-id": "4de01f"], ["profile-level-id": "42e01f"]))
        XCTAssertFalse(H264ProfileLevelId.isSameProfile(["profile-level-id": "42e01f"], ["profile-level-id": "42001f"]))
        XCTAssertFalse(H264ProfileLevelId.isSameProfile(["profile-level-id": "4d001f"], ["profile-level-id": "bogus!"]))
    }

    func testAnswerLevelFollowsLevelAsymmetry() throws {
        let local: [String: CodecParameterValue] = ["profile-level-id": "42e01f", "level-asymmetry-allowed": 1]
        // Both allow asymmetry: the answer keeps the local level.
        XCTAssertEqual(
            try H264ProfileLevelId.answer(
                localParameters: local, remoteParameters: ["profile-level-id": "42e00d", "level-asymmetry-allowed": "1"])?.string,
            "42e01f")
        // The remote does not: the answer takes the lower level.
        XCTAssertEqual(
            try H264ProfileLevelId.answer(localParameters: local, remoteParameters: ["profile-level-id": "42e00d"])?.string,
            "42e00d")
        XCTAssertEqual(
            try H264ProfileLevelId.answer(localParameters: ["profile-level-id": "42e00b"], remoteParameters: ["profile-level-id": "42f00b"])?.string,
            "42f00b")
        // Neither names one: the answer omits it.
        XCTAssertNil(try H264ProfileLevelId.answer(localParameters: [:], remoteParameters: ["packetization-mode": 1]))
        // Only one names one: the other is the default constrained baseline 3.1.
        XCTAssertEqual(try H264ProfileLevelId.answer(localParameters: [:], remoteParameters: ["profile-level-id": "42e00d"])?.string, "42e00d")
    }

    func testAnswerRejectsDifferentProfilesAndInvalidValues() {
        XCTAssertThrowsError(
            try H264ProfileLevelId.answer(localParameters: ["profile-level-id": "42e01f"], remoteParameters: ["profile-level-id": "640c1f"])
        ) { error in
            XCTAssertEqual(error as? H264ProfileLevelId.NegotiationError, .profileMismatch(local: .constrainedBaseline, remote: .constrainedHigh))
        }
        XCTAssertThrowsError(
            try H264ProfileLevelId.answer(localParameters: ["profile-level-id": "42e01f"], remoteParameters: ["profile-level-id": "42e0"])
        ) { error in
            XCTAssertEqual(error as? H264ProfileLevelId.NegotiationError, .invalidRemote(.notThreeHexBytes))
        }
    }
}
