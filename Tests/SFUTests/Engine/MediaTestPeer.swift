import NIOCore
@testable import SFU

/// The remote side of a transport in engine tests: sends RTP and RTCP through a loopback UDP
/// or TCP endpoint, SRTP-protected once keys are set, and decodes what comes back into RTP
/// packets and RTCP packets (with their arrival time, for rate checks).
///
/// Not Sendable (it owns SRTP sessions): use it from one test task.
final class MediaTestPeer {
    struct ReceivedRtcp {
        var packet: RtcpPacket
        /// The compound packet `packet` came in (SR and SDES travel together).
        var compound: RtcpCompoundPacket
        var arrival: ContinuousClock.Instant
    }

    let inbox: PacketInbox
    private let sendBytes: @Sendable (ByteBuffer) async throws -> Void
    private var outbound: SrtpSession?
    private var inbound: SrtpSession?
    private var rtp: [RtpPacket] = []
    private var rtcp: [ReceivedRtcp] = []
    /// Received RTP/RTCP datagrams that failed SRTP or parsing.
    private(set) var undecodable = 0
    /// Positions, among RTP packets arriving from the last ``loseIncomingRtp(at:)`` on, of
    /// those the network loses.
    private var rtpLossPositions: Set<Int> = []
    private var rtpArrivals = 0
    /// Packets lost by ``loseIncomingRtp(at:)``, still SRTP-protected (the header is clear).
    private(set) var lostRtp: [RtpPacket] = []

    init(udp endpoint: UdpTestEndpoint, destination: SocketAddress) {
        inbox = endpoint.inbox
        sendBytes = { try await endpoint.send($0, to: destination) }
    }

    init(tcp endpoint: TcpTestEndpoint) {
        inbox = endpoint.inbox
        sendBytes = { try await endpoint.send($0) }
    }

    /// From now on RTP and RTCP are protected with `outbound` and received ones unprotected
    /// with `inbound`.
    func useSrtp(outbound: SrtpMasterKey, inbound: SrtpMasterKey) throws {
        self.outbound = try SrtpSession(direction: .outbound, masterKey: outbound)
        self.inbound = try SrtpSession(direction: .inbound, masterKey: inbound)
    }

    // MARK: - Sending

    func sendRaw(_ bytes: ByteBuffer) async throws {
        try await sendBytes(bytes)
    }

    func sendRtp(_ packet: RtpPacket) async throws {
        try await sendBytes(try protectedRtp(packet))
    }

    func sendRtp(_ packets: [RtpPacket]) async throws {
        for packet in packets { try await sendRtp(packet) }
    }

    func sendRtcp(_ packets: [RtcpPacket]) async throws {
        try await sendRtcp(bytes: try RtcpCompoundPacket(packets).serialized())
    }

    /// Sends `bytes` as one RTCP datagram, SRTCP-protected when keyed, whatever they hold.
    func sendRtcp(bytes: ByteBuffer) async throws {
        var buffer = bytes
        if let outbound, case .failure(let error) = outbound.protectRtcp(&buffer) { throw error }
        try await sendBytes(buffer)
    }

    /// `packet` as it goes on the wire: SRTP-protected when keyed.
    func protectedRtp(_ packet: RtpPacket) throws -> ByteBuffer {
        var buffer = packet.buffer
        if let outbound, case .failure(let error) = outbound.protectRtp(&buffer) { throw error }
        return buffer
    }

    // MARK: - Receiving

    /// Makes the network lose the RTP packets at `positions` (0 = the next one to arrive), as
    /// a receiver that never saw them: NACKing them is what a real endpoint would do, and a
    /// resend then passes the SRTP replay check.
    func loseIncomingRtp(at positions: Set<Int>) {
        decodeInbox()
        rtpLossPositions = positions
        rtpArrivals = 0
    }

    /// RTP packets `predicate` accepts, oldest first, until there are `count` or `timeout`
    /// passed. Packets not accepted stay for later calls.
    func receiveRtp(
        count: Int, timeout: Duration = .seconds(5), where predicate: (RtpPacket) -> Bool = { _ in true }
    ) async -> [RtpPacket] {
        await waitForDecoded(timeout: timeout) { self.rtp.count(where: predicate) >= count }
        return rtp.takeFirst(count, where: predicate)
    }

    /// RTCP packets `predicate` accepts, oldest first, until there are `count` or `timeout`
    /// passed. Packets not accepted stay for later calls.
    func receiveRtcp(
        count: Int = 1, timeout: Duration = .seconds(5), where predicate: (RtcpPacket) -> Bool
    ) async -> [ReceivedRtcp] {
        await waitForDecoded(timeout: timeout) { self.rtcp.count { predicate($0.packet) } >= count }
        return rtcp.takeFirst(count) { predicate($0.packet) }
    }

    /// Every RTCP packet `predicate` accepts that arrived so far, without waiting.
    func takeRtcp(where predicate: (RtcpPacket) -> Bool) -> [ReceivedRtcp] {
        decodeInbox()
        return rtcp.takeFirst { predicate($0.packet) }
    }

    /// The SSRCs of every PLI that arrived so far: the streams to send a key frame on.
    func takeKeyFrameRequests() -> Set<UInt32> {
        Set(takeRtcp {
            if case .pictureLossIndication = $0 { return true }
            return false
        }.compactMap { received -> UInt32? in
            if case .pictureLossIndication(let pli) = received.packet { return pli.mediaSsrc }
            return nil
        })
    }

    private func waitForDecoded(timeout: Duration, _ condition: () -> Bool) async {
        await BoundedWait.until(timeout: timeout) {
            decodeInbox()
            return condition()
        }
    }

    /// Moves the RTP and RTCP datagrams of the inbox (first byte 128–191, RFC 7983) into the
    /// decoded lists; STUN and DTLS stay in the inbox.
    private func decodeInbox() {
        let datagrams = inbox.take { (128...191).contains($0.getInteger(at: $0.readerIndex, as: UInt8.self) ?? 0) }
        for datagram in datagrams {
            var buffer = datagram.bytes
            if RtcpHeader.looksLikeRtcp(buffer) {
                if let inbound, case .failure = inbound.unprotectRtcp(&buffer) {
                    undecodable += 1
                    continue
                }
                guard let compound = try? RtcpCompoundPacket(parsing: buffer) else {
                    undecodable += 1
                    continue
                }
                rtcp += compound.packets.map { ReceivedRtcp(packet: $0, compound: compound, arrival: datagram.arrival) }
            } else {
                defer { rtpArrivals += 1 }
                if rtpLossPositions.contains(rtpArrivals) {
                    if let packet = try? RtpPacket(buffer: buffer) { lostRtp.append(packet) }
                    continue
                }
                if let inbound, case .failure = inbound.unprotectRtp(&buffer) {
                    undecodable += 1
                    continue
                }
                guard let packet = try? RtpPacket(buffer: buffer) else {
                    undecodable += 1
                    continue
                }
                rtp.append(packet)
            }
        }
    }
}
