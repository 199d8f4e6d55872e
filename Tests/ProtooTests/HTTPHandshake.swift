import NIOCore
import NIOPosix

/// A raw HTTP/1.1 WebSocket upgrade request, to see the status and headers the server answers
/// (WebSocket clients hide them).
enum HTTPHandshake {
    /// The response head (status line and headers) to an upgrade of `target`, offering
    /// `subprotocol` when given.
    static func responseHead(port: Int, target: String, subprotocol: String?) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        var request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\n"
        request += "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let subprotocol { request += "Sec-WebSocket-Protocol: \(subprotocol)\r\n" }
        request += "\r\n"
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ""
            for try await var chunk in inbound {
                received += chunk.readString(length: chunk.readableBytes) ?? ""
                if let end = received.range(of: "\r\n\r\n") { return String(received[..<end.lowerBound]) }
            }
            throw ProtooTestFailure.malformedHandshakeResponse
        }
    }

    /// Upgrades `target` offering `protoo` and reads the server's first WebSocket frame, which
    /// must be a close frame; its close code and reason. Reading raw bytes keeps a close that
    /// follows the 101 response in the same packet from racing a client's upgrade.
    static func closeFrameAfterUpgrade(port: Int, target: String) async throws -> (code: UInt16, reason: String) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        var request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\n"
        request += "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        request += "Sec-WebSocket-Protocol: protoo\r\n\r\n"
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ByteBuffer()
            for try await var chunk in inbound {
                received.writeBuffer(&chunk)
                let bytes = Array(received.readableBytesView)
                guard let headEnd = bytes.indices.dropLast(3).first(where: { bytes[$0..<$0 + 4] == [13, 10, 13, 10] })
                else { continue }
                let frame = bytes[(headEnd + 4)...]
                // An unmasked server frame: FIN+opcode, 7-bit length (close payloads are short).
                guard frame.count >= 2, frame.count >= 2 + Int(frame[frame.startIndex + 1] & 0x7f) else { continue }
                guard frame[frame.startIndex] == 0x88 else { throw ProtooTestFailure.malformedHandshakeResponse }
                let payload = Array(frame.dropFirst(2).prefix(Int(frame[frame.startIndex + 1] & 0x7f)))
                guard payload.count >= 2 else { throw ProtooTestFailure.malformedHandshakeResponse }
                return (UInt16(payload[0]) << 8 | UInt16(payload[1]), String(decoding: payload.dropFirst(2), as: UTF8.self))
            }
            throw ProtooTestFailure.malformedHandshakeResponse
        }
    }
}
