import NIOCore
import XCTest

@testable import SFU

final class Vp9PayloadDescriptorTests: XCTestCase {
    /// Non-flexible key frame start: I, L, B, V; 15-bit picture id 0x0102; TID 0 SID 0;
    /// TL0PICIDX 5; scalability structure with 3 spatial layers (Y, G with one picture group).
    private let keyFrameWithScalabilityStructure: [UInt8] = [
        0xAA, 0x81, 0x02, 0x00, 0x05,
        0x58, 0x01, 0x40, 0x00, 0xB4, 0x02, 0x80, 0x01, 0x68, 0x05, 0x00, 0x02, 0xD0,
        0x01, 0x04, 0x01,
        0xFF,
    ]

    func testParsesNonFlexibleKeyFrameWithScalabilityStructure() throws {
        let descriptor = try XCTUnwrap(Vp9PayloadDescriptor(payload: RtpTestBytes.buffer(keyFrameWithScalabilityStructure)))
        XCTAssertFalse(descriptor.isFlexibleMode)
        XCTAssertFalse(descriptor.isInterPicturePredicted)
        XCTAssertTrue(descriptor.isStartOfFrame)
        XCTAssertFalse(descriptor.isEndOfFrame)
        XCTAssertEqual(descriptor.pictureId, 0x0102)
        XCTAssertTrue(descriptor.hasLongPictureId)
        XCTAssertEqual(descriptor.temporalLayer, 0)
        XCTAssertEqual(descriptor.spatialLayer, 0)
        XCTAssertEqual(descriptor.tl0PictureIndex, 5)
        XCTAssertEqual(descriptor.spatialLayerCount, 3)
        XCTAssertEqual(
            descriptor.spatialLayerResolutions,
            [.init(width: 320, height: 180), .init(width: 640, height: 360), .init(width: 1280, height: 720)])
        XCTAssertEqual(descriptor.length, 21)
        XCTAssertTrue(descriptor.isKeyFrame)

        let summary = descriptor.payloadDescription
        XCTAssertTrue(summary.isKeyFrame)
        XCTAssertEqual(summary.width, 320)
        XCTAssertEqual(summary.height, 180)
        XCTAssertEqual(summary.spatialLayer, 0)
    }

    func testParsesFlexibleModeReferences() throws {
        let descriptor = try XCTUnwrap(
            Vp9PayloadDescriptor(payload: RtpTestBytes.buffer([0xFC, 0x05, 0x53, 0x03, 0x04, 0xEE])))
        XCTAssertTrue(descriptor.isFlexibleMode)
        XCTAssertTrue(descriptor.isInterPicturePredicted)
        XCTAssertTrue(descriptor.isEndOfFrame)
        XCTAssertEqual(descriptor.pictureId, 5)
        XCTAssertFalse(descriptor.hasLongPictureId)
        XCTAssertEqual(descriptor.temporalLayer, 2)
        XCTAssertTrue(descriptor.isSwitchingUpPoint)
        XCTAssertEqual(descriptor.spatialLayer, 1)
        XCTAssertTrue(descriptor.hasInterLayerDependency)
        XCTAssertNil(descriptor.tl0PictureIndex, "flexible mode has no TL0PICIDX")
        XCTAssertEqual(descriptor.referenceCount, 2)
        XCTAssertEqual(descriptor.length, 5)
        XCTAssertFalse(descriptor.isKeyFrame)
    }

    func testUpperSpatialLayerOfKeyPictureIsNotAKeyFrame() throws {
        // B=1, P=0, L with SID 1.
        let descriptor = try XCTUnwrap(Vp9PayloadDescriptor(payload: RtpTestBytes.buffer([0x28, 0x02, 0x00, 0xAA])))
        XCTAssertEqual(descriptor.spatialLayer, 1)
        XCTAssertFalse(descriptor.isKeyFrame)
    }

    func testKeyFrameWithoutLayerIndices() throws {
        let descriptor = try XCTUnwrap(Vp9PayloadDescriptor(payload: RtpTestBytes.buffer([0x08, 0xAA])))
        XCTAssertNil(descriptor.spatialLayer)
        XCTAssertTrue(descriptor.isKeyFrame)
        XCTAssertTrue(CodecPayloadInspector.isKeyFrame(payload: RtpTestBytes.buffer([0x08, 0xAA]), mimeType: "video/VP9"))
    }

    func testMiddlePacketIsNotAKeyFrame() throws {
        let descriptor = try XCTUnwrap(Vp9PayloadDescriptor(payload: RtpTestBytes.buffer([0x04, 0xAA])))
        XCTAssertFalse(descriptor.isStartOfFrame)
        XCTAssertFalse(descriptor.isKeyFrame)
    }

    func testTruncatedDescriptorsAreRejected() {
        for length in 0..<21 {
            XCTAssertNil(
                Vp9PayloadDescriptor(payload: RtpTestBytes.buffer(Array(keyFrameWithScalabilityStructure.prefix(length)))),
                "prefix of \(length) bytes")
        }
        XCTAssertNil(Vp9PayloadDescriptor(payload: RtpTestBytes.buffer([0xFC, 0x05, 0x53, 0x03])), "P_DIFF chain cut")
    }
}
