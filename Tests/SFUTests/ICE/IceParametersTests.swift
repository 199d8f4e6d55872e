import Foundation
import XCTest

@testable import SFU

final class IceParametersTests: XCTestCase {
    func testRandomParametersAreThirtyTwoCharactersFromMediasoupsAlphabet() {
        let allowed = Set(IceParameters.alphabet)
        let samples = (0..<50).map { _ in IceParameters.random() }

        for parameters in samples {
            XCTAssertEqual(parameters.usernameFragment.count, 32)
            XCTAssertEqual(parameters.password.count, 32)
            XCTAssertTrue(parameters.usernameFragment.allSatisfy(allowed.contains))
            XCTAssertTrue(parameters.password.allSatisfy(allowed.contains))
            XCTAssertTrue(parameters.iceLite)
            XCTAssertNotEqual(parameters.usernameFragment, parameters.password)
        }
        XCTAssertEqual(Set(samples.map(\.usernameFragment)).count, samples.count)
        XCTAssertEqual(Set(IceParameters.alphabet), Set("0123456789abcdefghijklmnopqrstuvwxyz"))
    }

    func testJsonUsesMediasoupFieldNames() throws {
        let parameters = IceParameters(usernameFragment: "ufrag", password: "pwd")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(parameters)) as? [String: Any]

        XCTAssertEqual(json?["usernameFragment"] as? String, "ufrag")
        XCTAssertEqual(json?["password"] as? String, "pwd")
        XCTAssertEqual(json?["iceLite"] as? Bool, true)
        XCTAssertEqual(json?.count, 3)
    }

    func testIceStateRawValuesAreMediasoupStrings() {
        XCTAssertEqual(
            [IceState.new, .connected, .completed, .disconnected, .closed].map(\.rawValue),
            ["new", "connected", "completed", "disconnected", "closed"])
    }
}
