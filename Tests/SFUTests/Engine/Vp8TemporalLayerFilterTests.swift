import NIOCore
import XCTest
@testable import SFU

/// Which VP8 temporal layers a simulcast consumer forwards: down at any frame, up only where the
/// higher layers decode (a layer 0 or layer sync frame).
final class Vp8TemporalLayerFilterTests: XCTestCase {
    /// The descriptor of a packet of temporal layer `layer`: the first of its frame, or a later one.
    private func descriptor(layer: UInt8, sync: Bool = false, startsFrame: Bool = true) -> Vp8PayloadDescriptor {
        let payload: [UInt8] = [startsFrame ? 0x90 : 0x80, 0xA0, 0x80, 0x01, layer << 6 | (sync ? 0x20 : 0), 0x11, 0x02, 0x00]
        return Vp8PayloadDescriptor(payload: ByteBuffer(bytes: payload))!
    }

    /// L1T3's pattern of temporal layers, frame by frame.
    private let pattern: [UInt8] = [0, 2, 1, 2, 0, 2, 1, 2]

    func testForwardsTheTargetLayerAndBelow() {
        var filter = Vp8TemporalLayerFilter(target: 1)
        XCTAssertEqual(pattern.map { filter.forwards(descriptor(layer: $0), target: 1) },
                       [true, false, true, false, true, false, true, false])
        XCTAssertTrue(filter.forwards(Vp8PayloadDescriptor(payload: ByteBuffer(bytes: [0x10, 0x11, 0x02]))!, target: 0),
                      "a packet without a temporal layer was dropped")
    }

    func testGoesDownAtTheNextFrame() {
        var filter = Vp8TemporalLayerFilter(target: 2)
        XCTAssertTrue(filter.forwards(descriptor(layer: 2), target: 2))
        // The rest of a frame already started goes on at the layer it started at.
        XCTAssertTrue(filter.forwards(descriptor(layer: 2, startsFrame: false), target: 0))
        XCTAssertEqual(filter.current, 2)
        XCTAssertFalse(filter.forwards(descriptor(layer: 1), target: 0))
        XCTAssertEqual(filter.current, 0)
    }

    func testGoesUpOnlyAtALayerZeroOrLayerSyncFrame() {
        var filter = Vp8TemporalLayerFilter(target: 0)
        XCTAssertFalse(filter.forwards(descriptor(layer: 2), target: 2), "went up on a frame that may lack its references")
        XCTAssertFalse(filter.forwards(descriptor(layer: 1), target: 2))
        XCTAssertTrue(filter.forwards(descriptor(layer: 0), target: 2))
        XCTAssertEqual(filter.current, 2)

        filter = Vp8TemporalLayerFilter(target: 0)
        XCTAssertTrue(filter.forwards(descriptor(layer: 1, sync: true), target: 1))
        XCTAssertEqual(filter.current, 1)
    }
}
