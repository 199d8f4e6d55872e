import Foundation
import Rooms
import XCTest

@testable import Protoo

final class ProtooMessageTests: XCTestCase {
    private func object(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    func testRequestParsesAndDefaultsDataToEmptyObject() {
        XCTAssertEqual(
            ProtooMessage(text: #"{"request":true,"id":1234567,"method":"join"}"#),
            .request(ProtooRequest(id: 1234567, method: "join", data: .emptyObject)))
        XCTAssertEqual(
            ProtooMessage(text: #"{"request":1,"id":5,"method":"produce","data":{"kind":"audio","ssrc":1111}}"#),
            .request(ProtooRequest(
                id: 5, method: "produce", data: .object(["kind": .string("audio"), "ssrc": .integer(1111)]))))
    }

    func testMessagesProtooWouldDropParseToNil() {
        XCTAssertNil(ProtooMessage(text: "not json"))
        XCTAssertNil(ProtooMessage(text: #"[{"request":true,"id":1,"method":"x"}]"#))
        XCTAssertNil(ProtooMessage(text: #"{"request":true,"id":"1","method":"x"}"#))
        XCTAssertNil(ProtooMessage(text: #"{"request":true,"id":1,"method":7}"#))
        XCTAssertNil(ProtooMessage(text: #"{"request":false,"id":1,"method":"x"}"#))
        XCTAssertNil(ProtooMessage(text: #"{"response":true,"ok":true}"#))
        XCTAssertNil(ProtooMessage(text: #"{"notification":true}"#))
    }

    func testResponseWithoutTruthyOkIsAnError() {
        XCTAssertEqual(
            ProtooMessage(text: #"{"response":true,"id":9,"ok":true,"data":{"a":1}}"#),
            .response(ProtooResponse(id: 9, outcome: .success(.object(["a": .integer(1)])))))
        XCTAssertEqual(
            ProtooMessage(text: #"{"response":true,"id":9,"ok":false,"errorCode":403,"errorReason":"no thanks"}"#),
            .response(ProtooResponse(id: 9, outcome: .failure(ProtooError(code: 403, reason: "no thanks")))))
        XCTAssertEqual(
            ProtooMessage(text: #"{"response":true,"id":9,"errorCode":500,"errorReason":"boom"}"#),
            .response(ProtooResponse(id: 9, outcome: .failure(ProtooError(code: 500, reason: "boom")))))
    }

    func testServerMessagesUseProtooFieldNames() throws {
        let success = ProtooMessage.response(ProtooResponse(id: 42, outcome: .success(.object(["id": .string("p")]))))
        XCTAssertEqual(
            try object(try success.text()),
            try object(#"{"response":true,"id":42,"ok":true,"data":{"id":"p"}}"#))
        let failure = ProtooMessage.response(ProtooResponse(id: 42, outcome: .failure(ProtooError(reason: "nope"))))
        XCTAssertEqual(
            try object(try failure.text()),
            try object(#"{"response":true,"id":42,"errorCode":500,"errorReason":"nope"}"#))
        let notification = ProtooMessage.notification(ProtooNotification(method: "newPeer", data: .object(["id": .string("bob")])))
        XCTAssertEqual(
            try object(try notification.text()),
            try object(#"{"notification":true,"method":"newPeer","data":{"id":"bob"}}"#))
        let request = ProtooMessage.request(ProtooRequest(id: 7, method: "newConsumer"))
        XCTAssertEqual(
            try object(try request.text()), try object(#"{"request":true,"id":7,"method":"newConsumer","data":{}}"#))
    }

    /// JavaScript writes half a surrogate pair as an escape (a name cut through an emoji) and
    /// reads it back; the request is read with U+FFFD in its place rather than dropped unanswered.
    func testLoneSurrogateEscapesReadAsReplacementCharacters() throws {
        let text = #"{"request":true,"id":3,"method":"changeDisplayName","data":{"displayName":"a\ud800b\udc00\ud83d\ude00\\ud800"}}"#
        guard case .request(let request)? = ProtooMessage(text: text) else { return XCTFail("not read") }
        XCTAssertEqual(request.id, 3)
        XCTAssertEqual(request.data["displayName"], .string("a\u{FFFD}b\u{FFFD}😀\\ud800"))
        XCTAssertNil(LoneSurrogateEscapes.replaced(in: #"{"a":"\ud83d\ude00 \\ud800"}"#), "nothing to replace")
        XCTAssertNil(ProtooMessage(text: #"{"request":true,"id":3,"method":"x","data":{"a":"\ud800"#), "still not JSON")
    }

    func testJSONValueRoundTripsTypedValues() throws {
        struct Sample: Codable, Equatable {
            var payloadType: Int
            var ssrc: UInt32
            var mimeType: String
            var ratio: Double
        }
        let sample = Sample(payloadType: 101, ssrc: 4_000_000_000, mimeType: "video/VP8", ratio: 0.5)
        let value = try JSONValue(encoding: sample)
        XCTAssertEqual(value["payloadType"], .integer(101))
        XCTAssertEqual(try value.decode(Sample.self), sample)
    }
}
