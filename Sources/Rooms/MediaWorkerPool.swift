import Logging
import NIOCore
import SFU

/// The media workers of the process, one per event loop, each with its WebRtcServer when the
/// one-port mode is on. Rooms go to the least loaded worker.
public final class MediaWorkerPool: Sendable {
    public struct Member: Sendable {
        public let worker: Worker
        public let webRtcServer: WebRtcServer?
    }

    public let members: [Member]
    public let settings: MediaSettings

    private init(members: [Member], settings: MediaSettings) {
        self.members = members
        self.settings = settings
    }

    /// Starts `settings.workerCount` workers on loops of `group`, sharing one DTLS certificate
    /// (browsers see the same fingerprint whichever worker serves them).
    public static func start(
        settings: MediaSettings, group: any EventLoopGroup, logger: Logger = Logger(label: "sfu.media")
    ) async throws -> MediaWorkerPool {
        let certificate = try DtlsCertificate.generate()
        var members: [Member] = []
        do {
            for index in 0..<max(1, settings.workerCount) {
                let worker = try Worker(
                    eventLoop: group.next(),
                    settings: WorkerSettings(
                        rtcPortRange: settings.portRange, dtlsCertificate: certificate,
                        srtpBackend: settings.srtpBackend, logger: logger))
                var server: WebRtcServer?
                if settings.useWebRtcServer {
                    let port = settings.webRtcServerPort + index
                    server = try await worker.createWebRtcServer(listenInfos: [
                        TransportListenInfo(
                            protocol: .udp, ip: settings.listenIP, announcedAddress: settings.announcedAddress, port: port),
                        TransportListenInfo(
                            protocol: .tcp, ip: settings.listenIP, announcedAddress: settings.announcedAddress, port: port),
                    ])
                }
                members.append(Member(worker: worker, webRtcServer: server))
            }
        } catch {
            for member in members { await member.worker.close() }
            throw error
        }
        return MediaWorkerPool(members: members, settings: settings)
    }

    /// The member whose routers carry the fewest transports, producers and consumers; not the
    /// one of `excluded` unless it is the only one.
    func leastLoaded(excluding excluded: Worker? = nil) async -> Member {
        let candidates = members.count > 1 ? members.filter { $0.worker !== excluded } : members
        var best = candidates[0]
        var bestLoad = Int.max
        for member in candidates {
            let load = await member.worker.load
            if load < bestLoad {
                best = member
                bestLoad = load
            }
        }
        return best
    }

    public func close() async {
        for member in members { await member.worker.close() }
    }
}
