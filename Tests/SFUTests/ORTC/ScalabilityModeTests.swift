import XCTest

@testable import SFU

final class ScalabilityModeTests: XCTestCase {
    func testParsesSpatialTemporalAndKsvc() {
        XCTAssertEqual(ScalabilityMode(parsing: "L1T3"), ScalabilityMode(spatialLayers: 1, temporalLayers: 3, ksvc: false))
        XCTAssertEqual(ScalabilityMode(parsing: "L3T3_KEY"), ScalabilityMode(spatialLayers: 3, temporalLayers: 3, ksvc: true))
        XCTAssertEqual(ScalabilityMode(parsing: "S2T1"), ScalabilityMode(spatialLayers: 2, temporalLayers: 1, ksvc: false))
        XCTAssertEqual(ScalabilityMode(parsing: "L12T10"), ScalabilityMode(spatialLayers: 12, temporalLayers: 10, ksvc: false))
    }

    func testMatchesOnlyAPrefixLikeMediasoup() {
        XCTAssertEqual(ScalabilityMode(parsing: "L1T3h"), ScalabilityMode(spatialLayers: 1, temporalLayers: 3, ksvc: false))
        XCTAssertEqual(ScalabilityMode(parsing: "L4T5_KEY_SHIFT").ksvc, true)
    }

    func testAbsentOrUnreadableModesAreASingleLayer() {
        for text in [nil, "", "L0T1", "X1T1", "l1t3", "L1T", "T3"] as [String?] {
            XCTAssertEqual(ScalabilityMode(parsing: text), .single, "\(text ?? "nil")")
        }
    }

    func testDescriptionRebuildsTheMode() {
        XCTAssertEqual(ScalabilityMode(spatialLayers: 3, temporalLayers: 2, ksvc: true).description, "L3T2_KEY")
    }
}
