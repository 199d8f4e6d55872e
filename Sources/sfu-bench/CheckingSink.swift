import NIOConcurrencyHelpers
import NIOCore
import SFU

/// The consumers' endpoint of the server benchmark: one UDP socket (a ``SinkSocket``) every
/// consumer transport sends to. Packets are told apart by SSRC and counted; one in `checkEvery`
/// of each consumer's (by RTP sequence number) is decrypted with its consumer's SRTP key and
/// checked: payload intact, index order per consumer, latency from its
/// ``PacketStamp`` to the kernel's receipt.
final class CheckingSink: Sendable {
    struct Report {
        var received = 0
        var damaged = 0
        var undecryptable = 0
        /// Packets whose index was not above the last one of their consumer.
        var outOfOrder = 0
        var latencies: [UInt64] = []
    }

    private let socket: SinkSocket
    private let state: NIOLockedValueBox<State>

    /// Touched only under the box's lock (SRTP sessions are not Sendable).
    private struct State: @unchecked Sendable {
        var sessions: [UInt32: SrtpSession] = [:]
        var lastIndex: [UInt32: UInt64] = [:]
        var report = Report()
    }

    /// - Parameter checkEvery: 1 checks every packet; more leaves the CPU that decrypting every
    ///   packet takes to a server of several workers sharing the benchmark's machine.
    init(checkEvery: Int = 1) throws {
        let state = NIOLockedValueBox(State())
        self.state = state
        socket = try SinkSocket { Self.check($0, receivedNanoseconds: $1, checkEvery: checkEvery, state: state) }
    }

    var port: Int { socket.port }

    /// Packets with `ssrc` are decrypted with `masterKey` (the consumer transport's SRTP key).
    func expect(ssrc: UInt32, masterKey: SrtpMasterKey) throws {
        let session = try SrtpSession(direction: .inbound, masterKey: masterKey)
        state.withLockedValue { $0.sessions[ssrc] = session }
    }

    /// What arrived since the last call, and starts afresh.
    func takeReport() -> Report {
        state.withLockedValue { state in
            defer { state.report = Report() }
            return state.report
        }
    }

    func close() async {
        await socket.close()
    }

    private static func check(
        _ datagram: ByteBuffer, receivedNanoseconds: UInt64, checkEvery: Int, state: NIOLockedValueBox<State>
    ) {
        var datagram = datagram
        // RFC 5761: payload types 192-223 are RTCP.
        guard let second = datagram.getInteger(at: datagram.readerIndex + 1, as: UInt8.self),
            !(192...223).contains(second),
            let sequenceNumber = datagram.getInteger(at: datagram.readerIndex + 2, as: UInt16.self),
            let ssrc = datagram.getInteger(at: datagram.readerIndex + 8, as: UInt32.self)
        else { return }
        state.withLockedValue { state in
            guard let session = state.sessions[ssrc] else {
                state.report.undecryptable += 1
                return
            }
            guard Int(sequenceNumber) % checkEvery == 0 else {
                state.report.received += 1
                return
            }
            guard case .success = session.unprotectRtp(&datagram), let packet = try? RtpPacket(buffer: datagram),
                let stamp = PacketStamp(payload: packet.payload)
            else {
                state.report.undecryptable += 1
                return
            }
            state.report.received += 1
            if !PacketStamp.isIntact(packet.payload) { state.report.damaged += 1 }
            if let last = state.lastIndex[ssrc], stamp.index <= last { state.report.outOfOrder += 1 }
            state.lastIndex[ssrc] = stamp.index
            // The two clocks' difference is read anew for each packet: a stamp may come out a few
            // nanoseconds before its send.
            state.report.latencies.append(receivedNanoseconds > stamp.sentNanoseconds ? receivedNanoseconds - stamp.sentNanoseconds : 0)
        }
    }
}
