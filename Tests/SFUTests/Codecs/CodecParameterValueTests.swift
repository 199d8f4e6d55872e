import Foundation
import XCTest

@testable import SFU

final class CodecParameterValueTests: XCTestCase {
    func testReadsNumbersAndNumericStringsAlike() {
        XCTAssertEqual(CodecParameterValue.number(1).integerValue, 1)
        XCTAssertEqual(CodecParameterValue.string("1").integerValue, 1)
        XCTAssertNil(CodecParameterValue.number(1.5).integerValue)
        XCTAssertNil(CodecParameterValue.string("one").integerValue)
        XCTAssertEqual(CodecParameterValue.string("2.5").numberValue, 2.5)
        XCTAssertEqual(CodecParameterValue.number(1000).stringValue, "1000")
        XCTAssertEqual(CodecParameterValue.number(2.5).stringValue, "2.5")
    }

    func testDecodesMediasoupParametersJson() throws {
        let json = Data(#"{"packetization-mode":1,"profile-level-id":"42e01f","x-google-start-bitrate":1000.5}"#.utf8)
        let parameters = try JSONDecoder().decode([String: CodecParameterValue].self, from: json)
        XCTAssertEqual(parameters, ["packetization-mode": 1, "profile-level-id": "42e01f", "x-google-start-bitrate": 1000.5])
        let encoded = try JSONEncoder().encode(["packetization-mode": CodecParameterValue.number(1)])
        XCTAssertEqual(String(decoding: encoded, as: UTF8.self), #"{"packetization-mode":1}"#)
        XCTAssertThrowsError(try JSONDecoder().decode([String: CodecParameterValue].self, from: Data(#"{"a":[1]}"#.utf8)))
    }
}
