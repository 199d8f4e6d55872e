import NIOCore
import XCTest

@testable import STUN

final class DataIndicationTests: XCTestCase {
    /// The relay's direct framing writes exactly what encoding the message would, for both
    /// address families and every padding length, after whatever the buffer already held.
    func testWritesTheBytesOfTheEncodedMessage() throws {
        let peers = [
            StunAddress(ipv4: 0xC633_6407, port: 3478),
            StunAddress(ipv6Upper: 0x2001_0DB8_0000_0000, lower: 0x0000_0000_0000_0001, port: 65535),
        ]
        for peer in peers {
            for size in [0, 1, 2, 3, 4, 5, 1000, 9216] {
                let data = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) })
                let transactionID = StunTransactionID.random()
                let message = StunMessage(
                    messageType: StunMessageType(method: .data, messageClass: .indication), transactionID: transactionID,
                    attributes: [.xorPeerAddress(peer), .data(data)])

                var buffer = ByteBuffer(bytes: [0xAA, 0xBB])
                try DataIndication.encode(peer: peer, data: data, transactionID: transactionID, into: &buffer)

                XCTAssertEqual(buffer.getBytes(at: 0, length: 2), [0xAA, 0xBB])
                buffer.moveReaderIndex(forwardBy: 2)
                XCTAssertEqual(buffer, try message.encoded(), "\(peer) \(size)")
                let decoded = try StunMessage(decoding: buffer)
                XCTAssertEqual(decoded.xorPeerAddress, peer)
                XCTAssertEqual(decoded.data, data)
            }
        }
    }

    func testRefusesDataBeyondWhatALengthFieldHolds() {
        var buffer = ByteBuffer(bytes: [1])
        let data = ByteBuffer(repeating: 0, count: 65_530)
        XCTAssertThrowsError(
            try DataIndication.encode(
                peer: StunAddress(ipv4: 0x7F00_0001, port: 9), data: data, transactionID: .random(), into: &buffer))
        XCTAssertEqual(buffer.readableBytes, 1, "nothing written")
    }
}
