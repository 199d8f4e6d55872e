import XCTest

@testable import SFU

final class CodecLibrariesTests: XCTestCase {
    func testReportsLibraryVersions() {
        let versions = CodecLibraries.versions
        XCTAssertTrue(versions.opus.hasPrefix("libopus "), versions.opus)
        XCTAssertTrue(versions.vpx.first == "v" || versions.vpx.first?.isNumber == true, versions.vpx)
    }

    func testVpxInterfacesHaveTheirRoles() throws {
        for interface in CodecLibraries.VpxInterface.allCases {
            try CodecLibraries.verifyVpx(interface)
        }
        XCTAssertTrue(CodecLibraries.VpxInterface.vp8Encoder.capabilities.contains(.encoder))
        XCTAssertTrue(CodecLibraries.VpxInterface.vp9Decoder.capabilities.contains(.decoder))
        XCTAssertFalse(CodecLibraries.VpxInterface.vp8Decoder.capabilities.contains(.encoder))
        XCTAssertTrue(CodecLibraries.VpxInterface.vp8Encoder.name.contains("VP8"), CodecLibraries.VpxInterface.vp8Encoder.name)
    }

    func testOpusAcceptsWebRtcSettingsAndRejectsOthers() throws {
        try CodecLibraries.verifyOpus(sampleRate: 48000, channels: 2)
        try CodecLibraries.verifyOpus(sampleRate: 48000, channels: 1)
        try CodecLibraries.verifyOpus(sampleRate: 16000, channels: 1)
        XCTAssertThrowsError(try CodecLibraries.verifyOpus(sampleRate: 44100, channels: 2)) { error in
            XCTAssertEqual(error as? CodecLibraryError,
                           .opus(call: "opus_encoder_create(44100 Hz, 2 channels)", code: -1, message: "invalid argument"))
            XCTAssertEqual("\(error)", "libopus opus_encoder_create(44100 Hz, 2 channels) failed: invalid argument (-1)")
        }
        XCTAssertThrowsError(try CodecLibraries.verifyOpus(sampleRate: 48000, channels: 3))
    }

    func testVerifiesCodecsAsProducersAnnounceThem() throws {
        try CodecLibraries.verify(mimeType: "audio/opus", clockRate: 48000, channels: 2)
        try CodecLibraries.verify(mimeType: "video/VP8", clockRate: 90000)
        try CodecLibraries.verify(mimeType: "video/VP9", clockRate: 90000)
        try CodecLibraries.verify(mimeType: "video/H264", clockRate: 90000)
        XCTAssertThrowsError(try CodecLibraries.verify(mimeType: "audio/OPUS", clockRate: 44100, channels: 2))
    }

    func testVp8EncoderRejectsImpossibleSettings() {
        XCTAssertThrowsError(try Vp8Encoder(width: 0, height: 240, frameRate: 30, bitrateKbps: 500)) { error in
            XCTAssertEqual("\(error)", "invalid codec configuration: VP8 frame size 0x240 must be positive")
        }
        // libvpx itself refuses sizes beyond 16383 pixels (14-bit fields), with its own detail.
        XCTAssertThrowsError(try Vp8Encoder(width: 20000, height: 240, frameRate: 30, bitrateKbps: 500)) { error in
            guard case .vpx(let call, _, _, _) = error as? CodecLibraryError else { return XCTFail("got \(error)") }
            XCTAssertEqual(call, "vpx_codec_enc_init_ver(VP8 20000x240)")
        }
    }
}
