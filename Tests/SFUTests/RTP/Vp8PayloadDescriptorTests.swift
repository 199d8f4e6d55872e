import NIOCore
import XCTest

@testable import SFU

final class Vp8PayloadDescriptorTests: XCTestCase {
    /// Descriptor with X, I (15-bit PictureID 0x0123), L (TL0PICIDX 0x45), T (TID 1, Y), then a
    /// 640x480 key frame header.
    private let keyFrameWithLongPictureId: [UInt8] = [
        0x90, 0xE0, 0x81, 0x23, 0x45, 0x60,
        0x50, 0x2A, 0x01, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01, 0x00,
    ]

    func testParsesShortPictureId() throws {
        let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: RtpTestBytes.buffer([0x90, 0x80, 0x12, 0x01, 0xAA])))
        XCTAssertTrue(descriptor.hasExtension)
        XCTAssertTrue(descriptor.isStartOfPartition)
        XCTAssertEqual(descriptor.partitionIndex, 0)
        XCTAssertEqual(descriptor.pictureId, 0x12)
        XCTAssertFalse(descriptor.hasLongPictureId)
        XCTAssertNil(descriptor.tl0PictureIndex)
        XCTAssertNil(descriptor.temporalLayer)
        XCTAssertEqual(descriptor.length, 3)
        XCTAssertFalse(descriptor.isKeyFrame, "P bit set in the payload header: inter frame")
    }

    func testParsesLongPictureIdLayersAndKeyFrameDimensions() throws {
        let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: RtpTestBytes.buffer(keyFrameWithLongPictureId)))
        XCTAssertEqual(descriptor.pictureId, 0x0123)
        XCTAssertTrue(descriptor.hasLongPictureId)
        XCTAssertEqual(descriptor.tl0PictureIndex, 0x45)
        XCTAssertEqual(descriptor.temporalLayer, 1)
        XCTAssertTrue(descriptor.isLayerSync)
        XCTAssertNil(descriptor.keyIndex)
        XCTAssertEqual(descriptor.length, 6)
        XCTAssertTrue(descriptor.isStartOfFrame)
        XCTAssertTrue(descriptor.isKeyFrame)
        XCTAssertEqual(descriptor.width, 640)
        XCTAssertEqual(descriptor.height, 480)

        let summary = descriptor.payloadDescription
        XCTAssertEqual(
            summary,
            CodecPayloadDescription(
                isKeyFrame: true, temporalLayer: 1, pictureId: 0x0123, tl0PictureIndex: 0x45, width: 640, height: 480))
    }

    func testKeyIndexWithoutTemporalLayer() throws {
        let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: RtpTestBytes.buffer([0x80, 0x10, 0xDF, 0x00])))
        XCTAssertEqual(descriptor.keyIndex, 0x1F)
        XCTAssertNil(descriptor.temporalLayer)
        XCTAssertFalse(descriptor.isStartOfPartition)
        XCTAssertFalse(descriptor.isKeyFrame, "not the start of partition 0")
    }

    func testMinimalDescriptorWithoutExtension() throws {
        let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: RtpTestBytes.buffer([0x10, 0x00])))
        XCTAssertEqual(descriptor.length, 1)
        XCTAssertNil(descriptor.pictureId)
        XCTAssertTrue(descriptor.isKeyFrame)
        XCTAssertNil(descriptor.width, "key frame header truncated: no dimensions")
    }

    func testLaterPartitionIsNotAKeyFrameStart() throws {
        let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: RtpTestBytes.buffer([0x11, 0x00])))
        XCTAssertEqual(descriptor.partitionIndex, 1)
        XCTAssertFalse(descriptor.isKeyFrame)
    }

    func testTruncatedDescriptorsAreRejected() {
        for bytes: [UInt8] in [[], [0x90], [0x90, 0x80], [0x90, 0x80, 0x81], [0x90, 0x40], [0x90, 0x20]] {
            XCTAssertNil(Vp8PayloadDescriptor(payload: RtpTestBytes.buffer(bytes)), "\(bytes)")
        }
    }

    func testRewritesPictureIdAndTl0PictureIndexInPlace() throws {
        var rtp = RtpPacket(payloadType: 101, sequenceNumber: 1, timestamp: 1, ssrc: 1, payloadBytes: keyFrameWithLongPictureId)
        let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: rtp.payload))
        XCTAssertTrue(descriptor.rewrite(pictureId: 0x7ABC, tl0PictureIndex: 0x99, in: &rtp))

        let rewritten = try XCTUnwrap(Vp8PayloadDescriptor(payload: rtp.payload))
        XCTAssertEqual(rewritten.pictureId, 0x7ABC)
        XCTAssertTrue(rewritten.hasLongPictureId)
        XCTAssertEqual(rewritten.tl0PictureIndex, 0x99)
        XCTAssertEqual(rewritten.temporalLayer, 1)
        XCTAssertEqual(rewritten.width, 640)
        XCTAssertEqual(rtp.payloadLength, keyFrameWithLongPictureId.count)
    }

    func testRewriteOfShortPictureIdKeepsSevenBits() throws {
        var rtp = RtpPacket(payloadType: 101, sequenceNumber: 1, timestamp: 1, ssrc: 1, payloadBytes: [0x90, 0x80, 0x12, 0x01])
        let descriptor = try XCTUnwrap(Vp8PayloadDescriptor(payload: rtp.payload))
        XCTAssertTrue(descriptor.rewrite(pictureId: 0x01FF, tl0PictureIndex: nil, in: &rtp))
        XCTAssertEqual(Vp8PayloadDescriptor(payload: rtp.payload)?.pictureId, 0x7F)
        XCTAssertFalse(descriptor.rewrite(pictureId: nil, tl0PictureIndex: 1, in: &rtp), "no TL0PICIDX field to rewrite")
    }

    func testInspectorDispatchesOnMimeTypeCaseInsensitively() {
        let payload = RtpTestBytes.buffer(keyFrameWithLongPictureId)
        XCTAssertTrue(CodecPayloadInspector.isKeyFrame(payload: payload, mimeType: "video/VP8"))
        XCTAssertTrue(CodecPayloadInspector.isKeyFrame(payload: payload, mimeType: "VIDEO/vp8"))
        XCTAssertFalse(CodecPayloadInspector.isKeyFrame(payload: payload, mimeType: "video/rtx"))
        XCTAssertEqual(CodecPayloadInspector.Codec(mimeType: "video/H264-SVC"), .h264)
        XCTAssertNil(CodecPayloadInspector.Codec(mimeType: "audio/PCMU"))
        XCTAssertEqual(CodecPayloadInspector.describe(payload: payload, codec: .vp8)?.width, 640)
    }
}
