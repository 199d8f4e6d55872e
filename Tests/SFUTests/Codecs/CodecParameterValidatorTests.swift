import XCTest

@testable import SFU

final class CodecParameterValidatorTests: XCTestCase {
    /// Runs `body` expecting a `CodecParameterError`; returns it for further checks.
    private func assertRejects(
        _ body: () throws(CodecParameterError) -> Void, file: StaticString = #filePath, line: UInt = #line
    ) -> CodecParameterError? {
        do {
            try body()
            XCTFail("expected a CodecParameterError", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testAcceptsMediasoupDemoMediaCodecs() throws {
        try CodecParameterValidator.validate(mimeType: "audio/opus", clockRate: 48000, channels: 2)
        try CodecParameterValidator.validate(
            mimeType: "video/VP8", clockRate: 90000, parameters: ["x-google-start-bitrate": 1000])
        try CodecParameterValidator.validate(
            mimeType: "video/VP9", clockRate: 90000, parameters: ["profile-id": 2, "x-google-start-bitrate": 1000])
        try CodecParameterValidator.validate(
            mimeType: "video/h264", clockRate: 90000,
            parameters: ["packetization-mode": 1, "profile-level-id": "4d0032", "level-asymmetry-allowed": 1,
                         "x-google-start-bitrate": 1000])
        try CodecParameterValidator.validate(
            mimeType: "video/H264", clockRate: 90000,
            parameters: ["packetization-mode": 1, "profile-level-id": "42e01f", "level-asymmetry-allowed": 1])
        try CodecParameterValidator.validate(mimeType: "video/rtx", clockRate: 90000, parameters: ["apt": 101])
    }

    func testAcceptsBrowserOpusFmtpWithStringValues() throws {
        try CodecParameterValidator.validate(
            mimeType: "audio/opus", clockRate: 48000, channels: 2,
            parameters: ["minptime": "10", "useinbandfec": "1", "usedtx": "0", "stereo": 1, "sprop-stereo": 1,
                         "maxplaybackrate": 48000, "ptime": 20, "maxptime": 120, "maxaveragebitrate": 64000])
    }

    func testUnknownParametersAreIgnored() throws {
        try CodecParameterValidator.validate(
            mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: ["x-future-thing": "whatever"])
    }

    func testRejectsOpusClockRateOtherThan48000() throws {
        let error = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "audio/opus", clockRate: 44100, channels: 2)
        }
        XCTAssertEqual(error, .unsupportedClockRate(mimeType: "audio/opus", clockRate: 44100, supported: [48000]))
        XCTAssertEqual(error?.description, "audio/opus clockRate 44100 is not supported; use 48000")
    }

    func testRejectsOpusWithThreeChannels() throws {
        let error = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "audio/opus", clockRate: 48000, channels: 3)
        }
        XCTAssertEqual(error?.description, "audio/opus with 3 channels is not supported; use channels 1 or 2")
    }

    func testOpusFlagsMustBeZeroOrOne() throws {
        for flag in ["useinbandfec", "usedtx", "stereo", "sprop-stereo", "cbr"] {
            let error = assertRejects { () throws(CodecParameterError) in
                try CodecParameterValidator.validate(mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: [flag: 2])
            }
            XCTAssertEqual(error, .invalidParameter(mimeType: "audio/opus", name: flag, value: 2, expected: "0 or 1"))
            XCTAssertEqual(error?.description, "audio/opus parameter '\(flag)' has the invalid value '2'; expected 0 or 1")
            XCTAssertNotNil(assertRejects { () throws(CodecParameterError) in
                try CodecParameterValidator.validate(mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: [flag: "yes"])
            })
        }
    }

    func testOpusMaxPlaybackRateRange() throws {
        for accepted: CodecParameterValue in [8000, 16000, 48000] {
            try CodecParameterValidator.validate(
                mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: ["maxplaybackrate": accepted])
        }
        for rejected: CodecParameterValue in [7999, 48001, 16000.5] {
            let error = assertRejects { () throws(CodecParameterError) in
                try CodecParameterValidator.validate(
                    mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: ["maxplaybackrate": rejected])
            }
            XCTAssertEqual(
                error?.description,
                "audio/opus parameter 'maxplaybackrate' has the invalid value '\(rejected)'; expected an integer from 8000 to 48000")
        }
    }

    func testOpusPacketTimeRanges() throws {
        try CodecParameterValidator.validate(
            mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: ["ptime": 2.5, "minptime": "2.5", "maxptime": 120])
        for name in ["ptime", "minptime", "maxptime"] {
            for rejected: CodecParameterValue in [0, 121, "abc"] {
                let error = assertRejects { () throws(CodecParameterError) in
                    try CodecParameterValidator.validate(mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: [name: rejected])
                }
                XCTAssertEqual(error?.description,
                               "audio/opus parameter '\(name)' has the invalid value '\(rejected)'; expected a number of milliseconds from 2.5 to 120")
            }
        }
        let inverted = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(
                mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: ["minptime": 40, "maxptime": 20])
        }
        XCTAssertEqual(inverted?.description, "audio/opus parameters are inconsistent: minptime 40 ms exceeds maxptime 20 ms")
        let tooLong = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(
                mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: ["ptime": 60, "maxptime": 40])
        }
        guard case .inconsistentParameters = tooLong else { return XCTFail("got \(String(describing: tooLong))") }
    }

    func testOpusMaxAverageBitrateRange() throws {
        try CodecParameterValidator.validate(
            mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: ["maxaveragebitrate": 510_000])
        XCTAssertNotNil(assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(
                mimeType: "audio/opus", clockRate: 48000, channels: 2, parameters: ["maxaveragebitrate": 5999])
        })
    }

    func testMultiopusAcceptsMediasoupLayouts() throws {
        let layouts: [(channels: Int, mapping: String, streams: Int, coupled: Int)] = [
            (4, "0,1,2,3", 2, 2), (6, "0,4,1,2,3,5", 4, 2), (8, "0,6,1,2,3,4,5,7", 5, 3),
        ]
        for layout in layouts {
            try CodecParameterValidator.validate(
                mimeType: "audio/multiopus", clockRate: 48000, channels: layout.channels,
                parameters: ["channel_mapping": .string(layout.mapping), "num_streams": .number(Double(layout.streams)),
                             "coupled_streams": .number(Double(layout.coupled))])
        }
    }

    func testMultiopusRejectsBadStreamsAndMapping() throws {
        let missing = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(
                mimeType: "audio/multiopus", clockRate: 48000, channels: 4, parameters: ["channel_mapping": "0,1,2,3"])
        }
        XCTAssertEqual(missing?.description,
                       "audio/multiopus requires the parameter 'num_streams' (the number of Opus streams, 1-255)")
        let tooManyCoupled = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(
                mimeType: "audio/multiopus", clockRate: 48000, channels: 4,
                parameters: ["channel_mapping": "0,1,2,3", "num_streams": 2, "coupled_streams": 3])
        }
        guard case .invalidParameter(_, "coupled_streams", _, _) = tooManyCoupled else {
            return XCTFail("got \(String(describing: tooManyCoupled))")
        }
        let shortMapping = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(
                mimeType: "audio/multiopus", clockRate: 48000, channels: 4,
                parameters: ["channel_mapping": "0,1,2", "num_streams": 2, "coupled_streams": 2])
        }
        XCTAssertEqual(shortMapping?.description,
                       "audio/multiopus parameter 'channel_mapping' has the invalid value '0,1,2'; "
                        + "expected 4 comma-separated indexes, each below 4 or 255")
        XCTAssertNotNil(assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(
                mimeType: "audio/multiopus", clockRate: 48000, channels: 4,
                parameters: ["channel_mapping": "0,1,2,4", "num_streams": 2, "coupled_streams": 2])
        })
    }

    func testVideoCodecsNeed90kHz() throws {
        for mimeType in ["video/VP8", "video/VP9", "video/H264", "video/H265", "video/rtx"] {
            let error = assertRejects { () throws(CodecParameterError) in
                try CodecParameterValidator.validate(mimeType: mimeType, clockRate: 48000, parameters: ["apt": 96])
            }
            XCTAssertEqual(error?.description, "\(mimeType) clockRate 48000 is not supported; use 90000")
        }
    }

    func testVp9ProfileIdMustBeZeroOrTwo() throws {
        try CodecParameterValidator.validate(mimeType: "video/VP9", clockRate: 90000, parameters: ["profile-id": 0])
        try CodecParameterValidator.validate(mimeType: "video/VP9", clockRate: 90000, parameters: ["profile-id": "2"])
        for rejected: CodecParameterValue in [1, 3] {
            let error = assertRejects { () throws(CodecParameterError) in
                try CodecParameterValidator.validate(mimeType: "video/vp9", clockRate: 90000, parameters: ["profile-id": rejected])
            }
            XCTAssertEqual(error?.description,
                           "video/VP9 parameter 'profile-id' has the invalid value '\(rejected)'; "
                            + "expected 0 or 2 (the VP9 profiles mediasoup forwards: 8-bit and 10-bit 4:2:0)")
        }
    }

    func testVp8FrameLimitsMustBePositive() throws {
        try CodecParameterValidator.validate(mimeType: "video/VP8", clockRate: 90000, parameters: ["max-fr": 30, "max-fs": 3600])
        XCTAssertNotNil(assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "video/VP8", clockRate: 90000, parameters: ["max-fs": 0])
        })
        XCTAssertNotNil(assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "video/VP8", clockRate: 90000, parameters: ["x-google-start-bitrate": -5])
        })
    }

    func testH264RejectsUnreadableProfileLevelIds() throws {
        let cases: [(String, H264ProfileLevelId.ParseError)] = [
            ("42e0", .notThreeHexBytes),
            ("42e01g", .notThreeHexBytes),
            ("+42e01", .notThreeHexBytes),
            ("42e0ff", .unknownLevel(levelIdc: 0xFF)),
            ("42e000", .unknownLevel(levelIdc: 0)),
            ("43e01f", .unknownProfile(profileIdc: 0x43, profileIop: 0xE0)),
        ]
        for (value, reason) in cases {
            let error = assertRejects { () throws(CodecParameterError) in
                try CodecParameterValidator.validate(mimeType: "video/H264", clockRate: 90000, parameters: ["profile-level-id": .string(value)])
            }
            XCTAssertEqual(error, .invalidProfileLevelId(mimeType: "video/H264", value: value, reason: reason))
        }
        let unknownProfile = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "video/H264", clockRate: 90000, parameters: ["profile-level-id": "43e01f"])
        }
        XCTAssertEqual(unknownProfile?.description,
                       "video/H264 parameter 'profile-level-id' has the invalid value '43e01f': profile_idc 0x43 with "
                        + "profile_iop 0xe0 is not a supported H264 profile; expected 6 hex digits such as 42e01f "
                        + "(constrained baseline 3.1) or 640032 (high 5.0)")
    }

    func testH264PacketizationModeAndLevelAsymmetry() throws {
        try CodecParameterValidator.validate(mimeType: "video/H264", clockRate: 90000, parameters: ["packetization-mode": 0])
        let mode2 = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "video/H264", clockRate: 90000, parameters: ["packetization-mode": 2])
        }
        XCTAssertEqual(mode2?.description,
                       "video/H264 parameter 'packetization-mode' has the invalid value '2'; "
                        + "expected 0 (single NAL unit) or 1 (non-interleaved)")
        XCTAssertNotNil(assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "video/H264-SVC", clockRate: 90000, parameters: ["level-asymmetry-allowed": 2])
        })
    }

    func testRtxNeedsApt() throws {
        let missing = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "video/rtx", clockRate: 90000)
        }
        XCTAssertEqual(missing?.description,
                       "video/rtx requires the parameter 'apt' (the payload type 0-127 of the codec it retransmits)")
        XCTAssertNotNil(assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "video/rtx", clockRate: 90000, parameters: ["apt": 128])
        })
    }

    func testRejectsUnsupportedMimeTypeListingSupportedOnes() throws {
        let error = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "video/AV2", clockRate: 90000)
        }
        XCTAssertEqual(error, .unsupportedMimeType("video/AV2", supported: CodecParameterValidator.supportedMimeTypes))
        XCTAssertTrue(error?.description.hasPrefix("codec 'video/AV2' is not supported; use one of: audio/opus, audio/multiopus, ") ?? false)
    }

    func testOtherAudioCodecsUseTheirClockRates() throws {
        try CodecParameterValidator.validate(mimeType: "audio/PCMU", clockRate: 8000)
        try CodecParameterValidator.validate(mimeType: "audio/telephone-event", clockRate: 48000)
        let error = assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "audio/CN", clockRate: 48000)
        }
        XCTAssertEqual(error?.description, "audio/CN clockRate 48000 is not supported; use 8000, 16000 or 32000")
        XCTAssertNotNil(assertRejects { () throws(CodecParameterError) in
            try CodecParameterValidator.validate(mimeType: "audio/PCMA", clockRate: 8000, channels: 2)
        })
    }
}
