import NIOCore
import XCTest
@testable import SFU

/// Which layers of a VP9 SVC stream an SVC consumer forwards, and where it may change them.
final class SvcLayerFilterTests: XCTestCase {
    private typealias Layers = SvcLayerFilter.Layers

    /// A non-flexible VP9 descriptor (L, TL0PICIDX) of a packet of layers `spatial`/`temporal`.
    private func descriptor(
        spatial: UInt8, temporal: UInt8 = 0, starts: Bool = true, ends: Bool = true, predicted: Bool = true,
        switchingUp: Bool = false
    ) -> Vp9PayloadDescriptor {
        let flags: UInt8 = 0x20 | (predicted ? 0x40 : 0) | (starts ? 0x08 : 0) | (ends ? 0x04 : 0)
        let layers = temporal << 5 | (switchingUp ? 0x10 : 0) | spatial << 1
        return Vp9PayloadDescriptor(payload: ByteBuffer(bytes: [flags, layers, 0x07, 0xAA]))!
    }

    /// The decisions for one picture of three spatial layers (one packet each) at `temporal`.
    private func picture(
        _ filter: inout SvcLayerFilter, temporal: UInt8 = 0, target: Layers, switchingUp: Bool = false
    ) -> [SvcLayerFilter.Decision] {
        (0..<3).map { spatial in
            filter.decide(
                descriptor(spatial: UInt8(spatial), temporal: temporal, switchingUp: switchingUp), isKeyFrame: false,
                target: target)
        }
    }

    private func keyPicture(_ filter: inout SvcLayerFilter, target: Layers) -> [SvcLayerFilter.Decision] {
        (0..<3).map { spatial in
            let packet = descriptor(spatial: UInt8(spatial), predicted: false)
            return filter.decide(packet, isKeyFrame: packet.isKeyFrame, target: target)
        }
    }

    private let forward = SvcLayerFilter.Decision(forwards: true, endsPicture: false)
    private let forwardEnding = SvcLayerFilter.Decision(forwards: true, endsPicture: true)
    private let drop = SvcLayerFilter.Decision(forwards: false, endsPicture: false)

    func testForwardsTheTargetLayersAndEndsThePictureAtTheHighestSpatialLayer() {
        let target = Layers(spatialLayer: 1, temporalLayer: 1)
        var filter = SvcLayerFilter(target: target, isKSvc: false)
        XCTAssertEqual(picture(&filter, temporal: 0, target: target), [forward, forwardEnding, drop])
        XCTAssertEqual(picture(&filter, temporal: 2, target: target), [drop, drop, drop])
        XCTAssertEqual(picture(&filter, temporal: 1, target: target), [forward, forwardEnding, drop])

        // A frame in two packets: only its last ends the picture.
        let first = filter.decide(descriptor(spatial: 1, ends: false), isKeyFrame: false, target: target)
        let last = filter.decide(descriptor(spatial: 1, starts: false), isKeyFrame: false, target: target)
        XCTAssertEqual([first, last], [forward, forwardEnding])

        let all = Layers(spatialLayer: 2, temporalLayer: 2)
        var everything = SvcLayerFilter(target: all, isKSvc: false)
        XCTAssertEqual(picture(&everything, temporal: 2, target: all), [forward, forward, forwardEnding])
    }

    func testKSvcForwardsOnlyTheCurrentSpatialLayerOfAPredictedPicture() {
        let target = Layers(spatialLayer: 1, temporalLayer: 2)
        var filter = SvcLayerFilter(target: target, isKSvc: true)
        XCTAssertEqual(keyPicture(&filter, target: target), [forward, forwardEnding, drop])
        XCTAssertEqual(picture(&filter, temporal: 0, target: target), [drop, forwardEnding, drop])
        XCTAssertEqual(picture(&filter, temporal: 1, target: target), [drop, forwardEnding, drop])
    }

    func testAHigherSpatialLayerStartsAtAKeyFrame() {
        let low = Layers(spatialLayer: 0, temporalLayer: 2)
        let high = Layers(spatialLayer: 2, temporalLayer: 2)
        for isKSvc in [true, false] {
            var filter = SvcLayerFilter(target: low, isKSvc: isKSvc)
            XCTAssertEqual(picture(&filter, target: high), [forwardEnding, drop, drop], "went up without a key frame")
            XCTAssertEqual(filter.current, low)
            XCTAssertEqual(keyPicture(&filter, target: high), [forward, forward, forwardEnding])
            XCTAssertEqual(filter.current, high)
        }
    }

    func testALowerSpatialLayerWaitsForAKeyFrameOnlyInKSvc() {
        let high = Layers(spatialLayer: 2, temporalLayer: 2)
        let low = Layers(spatialLayer: 0, temporalLayer: 2)

        var ksvc = SvcLayerFilter(target: high, isKSvc: true)
        XCTAssertEqual(picture(&ksvc, target: low), [drop, drop, forwardEnding])
        XCTAssertEqual(keyPicture(&ksvc, target: low), [forwardEnding, drop, drop])
        XCTAssertEqual(ksvc.current, low)

        // Full SVC: the lower layer's frame ends this picture for the receiver.
        var full = SvcLayerFilter(target: high, isKSvc: false)
        XCTAssertEqual(picture(&full, target: low), [forwardEnding, drop, drop])
        XCTAssertEqual(full.current, low)
    }

    func testTemporalLayersGoDownAtAPictureAndUpAtLayerZeroOrASwitchingUpPoint() {
        let all = Layers(spatialLayer: 2, temporalLayer: 2)
        let base = Layers(spatialLayer: 2, temporalLayer: 0)
        var filter = SvcLayerFilter(target: all, isKSvc: false)
        XCTAssertEqual(picture(&filter, temporal: 2, target: base), [drop, drop, drop])
        XCTAssertEqual(filter.current, base)

        // Layer 2 and 1 pictures without a switching-up point stay dropped; a layer 1 one with it
        // brings layer 1 back, and a layer 0 picture everything.
        XCTAssertEqual(picture(&filter, temporal: 2, target: all), [drop, drop, drop])
        XCTAssertEqual(picture(&filter, temporal: 1, target: all), [drop, drop, drop])
        XCTAssertEqual(picture(&filter, temporal: 1, target: all, switchingUp: true), [forward, forward, forwardEnding])
        XCTAssertEqual(filter.current, Layers(spatialLayer: 2, temporalLayer: 1))
        XCTAssertEqual(picture(&filter, temporal: 2, target: all), [drop, drop, drop])
        XCTAssertEqual(picture(&filter, temporal: 0, target: all), [forward, forward, forwardEnding])
        XCTAssertEqual(filter.current, all)

        // An upper spatial layer's frame does not change the temporal layer mid-picture.
        var midPicture = SvcLayerFilter(target: base, isKSvc: true)
        XCTAssertFalse(
            midPicture.decide(descriptor(spatial: 1, temporal: 1, switchingUp: true), isKeyFrame: false, target: all)
                .forwards)
        XCTAssertEqual(midPicture.current, base)
    }

    func testPacketsWithoutLayerIndicesCountAsTheLowestLayers() {
        let target = Layers(spatialLayer: 0, temporalLayer: 0)
        var filter = SvcLayerFilter(target: target, isKSvc: false)
        let plain = Vp9PayloadDescriptor(payload: ByteBuffer(bytes: [0x4C, 0xAA]))!
        XCTAssertEqual(filter.decide(plain, isKeyFrame: false, target: target), forwardEnding)
    }
}
