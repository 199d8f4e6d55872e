import Foundation
import NIOCore
import SFU
import SocketIO

/// One forwarding measurement: a VP8 producer on a plain transport fanned out to `consumers`
/// consumers, each on its own plain transport, all sending to one counting sink. The worker's
/// event loop thread is charged with its own CPU time only, so the load generator and sink,
/// which run on other threads, do not count.
struct ForwardBenchmark {
    struct Result {
        var consumers: Int
        var packetsIn: Int
        var packetsOut: Int
        var packetsExpected: Int
        var workerCpu: Duration
        var wall: Duration
        var residentBytesPerConsumer: Int

        var packetsPerCpuSecond: Double { Double(packetsOut) / workerCpu.seconds }
        var microsecondsPerPacket: Double { workerCpu.seconds * 1e6 / Double(max(packetsOut, 1)) }
        var loss: Double { 1 - Double(packetsOut) / Double(max(packetsExpected, 1)) }
    }

    var consumers: Int
    var rate: Int
    var duration: Duration
    var packetSize: Int
    var srtp: Bool
    var transportCc: Bool

    func run() async throws -> Result {
        // The loop a worker of sfu-server runs on.
        let loop = try SocketEventLoop(name: "SFU-Worker-0")
        do {
            let result = try await measure(on: loop)
            try await loop.shutdownGracefully()
            return result
        } catch {
            try? await loop.shutdownGracefully()
            throw error
        }
    }

    private func measure(on loop: SocketEventLoop) async throws -> Result {
        let worker = try Worker(eventLoop: loop, settings: WorkerSettings(rtcPortRange: PortRange(min: 20000, max: 39999)))
        let router = try await worker.createRouter(mediaCodecs: [
            RtpCodecCapability(kind: .video, mimeType: "video/VP8", clockRate: 90000)
        ])
        let listenInfo = TransportListenInfo(protocol: .udp, ip: "127.0.0.1")
        let sink = try PacketSink()

        let senderKey = srtp ? try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80) : nil
        let sendTransport = try await router.createPlainTransport(
            PlainTransportOptions(listenInfo: listenInfo, comedia: true, enableSrtp: srtp))
        if let senderKey {
            try await sendTransport.connect(PlainTransportConnectParameters(srtpParameters: SrtpParameters(
                cryptoSuite: senderKey.suite, keyBase64: senderKey.keyBase64)))
        }
        let ssrc: UInt32 = 1111
        let producer = try await sendTransport.produce(ProducerOptions(
            kind: .video,
            rtpParameters: RtpParameters(
                codecs: [RtpCodecParameters(mimeType: "video/VP8", payloadType: 96, clockRate: 90000)],
                encodings: [RtpEncodingParameters(ssrc: ssrc)])))

        var capabilities = router.rtpCapabilities
        if !transportCc {
            capabilities.headerExtensions = capabilities.headerExtensions?.filter {
                $0.uri != RtpHeaderExtensionUri.transportWideCc01.rawValue
            }
        }
        let memoryBefore = ProcessMemory.residentBytes()
        for _ in 0..<consumers {
            let transport = try await router.createPlainTransport(PlainTransportOptions(listenInfo: listenInfo, enableSrtp: srtp))
            let receiverKey = srtp ? try SrtpMasterKey.random(suite: .aesCm128HmacSha1_80) : nil
            try await transport.connect(PlainTransportConnectParameters(
                ip: "127.0.0.1", port: sink.port,
                srtpParameters: receiverKey.map { SrtpParameters(cryptoSuite: $0.suite, keyBase64: $0.keyBase64) }))
            _ = try await transport.consume(ConsumerOptions(producerId: producer.id, rtpCapabilities: capabilities))
        }

        let generator = try RtpLoadGenerator(
            destinationPort: await sendTransport.tuple.localPort, packetSize: packetSize, ssrc: ssrc,
            masterKey: senderKey)
        let cpuBefore = try await loop.submit { ThreadCpuTime.now() }.get()
        let clock = ContinuousClock()
        let started = clock.now
        await generator.runOnThread(rate: rate, duration: duration)
        // Let the last packets drain through the worker and the sink.
        try await Task.sleep(for: .milliseconds(300))
        let cpuAfter = try await loop.submit { ThreadCpuTime.now() }.get()
        let wall = clock.now - started
        let memoryAfter = ProcessMemory.residentBytes()

        let result = Result(
            consumers: consumers, packetsIn: generator.sent, packetsOut: sink.packets,
            packetsExpected: generator.sent * consumers, workerCpu: cpuAfter - cpuBefore, wall: wall,
            residentBytesPerConsumer: (memoryAfter - memoryBefore) / max(consumers, 1))
        await worker.close()
        await sink.close()
        return result
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
