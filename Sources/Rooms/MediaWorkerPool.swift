import Logging
import NIOCore
import SFU
import SocketIO
import Synchronization

/// The media workers of the process, each on an event loop of its own (a ``SocketEventLoop``
/// thread named `SFU-Worker-n`), each with its WebRtcServer when the one-port mode is on. Rooms
/// go to the least loaded worker.
///
/// The workers' loops serve only media sockets: NIO's loops would pass every datagram through
/// a channel pipeline, with a `SocketAddress` formatted for it, which cost about as much as the
/// rest of forwarding it to one consumer.
public final class MediaWorkerPool: Sendable {
    public struct Member: Sendable {
        public let worker: Worker
        public let webRtcServer: WebRtcServer?
    }

    public let members: [Member]
    public let settings: MediaSettings
    private let loops: [SocketEventLoop]
    /// Where the next search for the least loaded member starts: equally loaded members take
    /// turns, so rooms made at the same moment (each seeing the loads before the others' routers
    /// exist) go to different workers.
    private let nextFirstCandidate = Atomic<UInt>(0)

    private init(members: [Member], settings: MediaSettings, loops: [SocketEventLoop]) {
        self.members = members
        self.settings = settings
        self.loops = loops
    }

    /// Starts `settings.workerCount` workers, each on a loop of its own, sharing one DTLS
    /// certificate (browsers see the same fingerprint whichever worker serves them).
    public static func start(
        settings: MediaSettings, logger: Logger = Logger(label: "sfu.media")
    ) async throws -> MediaWorkerPool {
        let certificate = try DtlsCertificate.generate()
        var members: [Member] = []
        var loops: [SocketEventLoop] = []
        do {
            for index in 0..<max(1, settings.workerCount) {
                let loop = try SocketEventLoop(name: "SFU-Worker-\(index)")
                loops.append(loop)
                let worker = try Worker(
                    eventLoop: loop,
                    settings: WorkerSettings(
                        rtcPortRange: settings.portRange, dtlsCertificate: certificate,
                        srtpBackend: settings.srtpBackend, logger: logger))
                var server: WebRtcServer?
                if settings.useWebRtcServer {
                    let port = settings.webRtcServerPort + index
                    do {
                        server = try await worker.createWebRtcServer(listenInfos: [
                            TransportListenInfo(
                                protocol: .udp, ip: settings.listenIP, announcedAddress: settings.announcedAddress, port: port),
                            TransportListenInfo(
                                protocol: .tcp, ip: settings.listenIP, announcedAddress: settings.announcedAddress, port: port),
                        ])
                    } catch {
                        throw ListenError(
                            purpose: "worker \(index)'s WebRTC media (SFU_WEBRTC_SERVER_PORT + \(index))",
                            host: settings.listenIP, port: port, transports: "udp+tcp", underlying: error)
                    }
                }
                members.append(Member(worker: worker, webRtcServer: server))
            }
        } catch {
            for member in members { await member.worker.close() }
            for loop in loops { try? await loop.shutdownGracefully() }
            throw error
        }
        return MediaWorkerPool(members: members, settings: settings, loops: loops)
    }

    /// The member with the least ``Worker/load`` (routers, with their transports, producers and
    /// consumers); not the one of `excluded` unless it is the only one.
    func leastLoaded(excluding excluded: Worker? = nil) async -> Member {
        let candidates = members.count > 1 ? members.filter { $0.worker !== excluded } : members
        let first = Int(nextFirstCandidate.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(candidates.count))
        var best = candidates[0]
        var bestLoad = Int.max
        for offset in candidates.indices {
            let member = candidates[(first + offset) % candidates.count]
            let load = await member.worker.load
            if load < bestLoad {
                best = member
                bestLoad = load
            }
        }
        return best
    }

    /// Closes the workers, then stops their loops.
    public func close() async {
        for member in members { await member.worker.close() }
        for loop in loops { try? await loop.shutdownGracefully() }
    }
}
