import Foundation
import NIOCore

@testable import SFU

/// A deterministic pseudo-random generator (SplitMix64) so lossy-network tests replay the
/// same drop and reorder decisions on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Two transports joined by an in-memory "network" that can drop and reorder datagrams, and
/// that drives their retransmission timers with real sleeps (OpenSSL's timers use the real
/// clock).
final class DtlsTestLink {
    enum Side { case client, server }

    let client: DtlsTransport
    let server: DtlsTransport
    private(set) var clientEvents: [DtlsEvent] = []
    private(set) var serverEvents: [DtlsEvent] = []
    /// Largest datagram either side produced.
    private(set) var largestDatagram = 0
    private(set) var datagramsDropped = 0

    var lossRate = 0.0
    var reorders = false
    private var random: SplitMix64
    private var inFlight: [(to: Side, datagram: ByteBuffer)] = []

    init(client: DtlsTransport, server: DtlsTransport, seed: UInt64 = 1) {
        self.client = client
        self.server = server
        self.random = SplitMix64(seed: seed)
    }

    /// Two fresh transports with their own certificates, each told the other's sha-256
    /// fingerprint unless overridden.
    static func make(
        clientProfiles: [DtlsSrtpProfile] = DtlsSrtpProfile.allCases,
        serverProfiles: [DtlsSrtpProfile] = DtlsSrtpProfile.allCases,
        fingerprintSignaledToClient: ((DtlsCertificate) -> DtlsFingerprint?)? = nil,
        mtu: Int = DtlsTransport.defaultMtu,
        seed: UInt64 = 1
    ) throws -> DtlsTestLink {
        let clientCertificate = try DtlsCertificate.generate()
        let serverCertificate = try DtlsCertificate.generate()
        let clientContext = try DtlsContext(certificate: clientCertificate, srtpProfiles: clientProfiles)
        let serverContext = try DtlsContext(certificate: serverCertificate, srtpProfiles: serverProfiles)
        let signaledToClient =
            fingerprintSignaledToClient.map { $0(serverCertificate) } ?? serverCertificate.fingerprint(.sha256)
        let client = try DtlsTransport(
            context: clientContext, role: .client, remoteFingerprint: signaledToClient, mtu: mtu)
        let server = try DtlsTransport(
            context: serverContext, role: .server, remoteFingerprint: clientCertificate.fingerprint(.sha256),
            mtu: mtu)
        return DtlsTestLink(client: client, server: server, seed: seed)
    }

    func transport(_ side: Side) -> DtlsTransport {
        side == .client ? client : server
    }

    func startBoth() {
        server.start()
        client.start()
        collect()
    }

    /// Moves both transports' output onto the network (dropping some) and their events into
    /// the event logs.
    func collect() {
        for (side, transport) in [(Side.client, client), (Side.server, server)] {
            while let datagram = transport.pollDatagram() {
                largestDatagram = max(largestDatagram, datagram.readableBytes)
                if lossRate > 0 && Double.random(in: 0..<1, using: &random) < lossRate {
                    datagramsDropped += 1
                    continue
                }
                inFlight.append((to: side == .client ? .server : .client, datagram: datagram))
            }
            while let event = transport.pollEvent() {
                if side == .client {
                    clientEvents.append(event)
                } else {
                    serverEvents.append(event)
                }
            }
        }
    }

    /// Delivers datagrams until the network is empty.
    func deliverAll() {
        while !inFlight.isEmpty {
            let index = reorders ? Int.random(in: 0..<inFlight.count, using: &random) : 0
            let (to, datagram) = inFlight.remove(at: index)
            transport(to).feed(datagram)
            collect()
        }
    }

    /// Delivers and, when the network is idle, sleeps until the earliest retransmission
    /// deadline, until `done` holds or `timeLimit` passes. Returns whether `done` held.
    @discardableResult
    func run(timeLimit: TimeAmount = .seconds(10), until done: () -> Bool) -> Bool {
        let giveUp = NIODeadline.now() + timeLimit
        while true {
            deliverAll()
            if done() { return true }
            let now = NIODeadline.now()
            let deadlines = [client.nextTimeout(now: now), server.nextTimeout(now: now)].compactMap { $0 }
            guard let next = deadlines.min(), next < giveUp else { return false }
            let wait = next - NIODeadline.now()
            if wait > .zero {
                usleep(UInt32(wait.nanoseconds / 1000) + 1)
            }
            client.handleTimeout()
            server.handleTimeout()
            collect()
        }
    }

    /// Runs a clean handshake to completion.
    @discardableResult
    func handshake() -> Bool {
        startBoth()
        return run { bothSettled }
    }

    var bothSettled: Bool {
        settled(client.state) && settled(server.state)
    }

    private func settled(_ state: DtlsState) -> Bool {
        state == .connected || state == .failed || state == .closed
    }

    static func keys(in events: [DtlsEvent]) -> DtlsSrtpKeys? {
        for case .connected(let keys) in events { return keys }
        return nil
    }

    static func applicationData(in events: [DtlsEvent]) -> [[UInt8]] {
        events.compactMap { event in
            guard case .applicationData(let data) = event else { return nil }
            return Array(data.readableBytesView)
        }
    }
}
