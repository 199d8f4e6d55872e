import Foundation
import NIOCore

/// An incoming media source on a transport (mediasoup's Producer): one or more received
/// streams (simulcast encodings), forwarded to every consumer of the router that consumes it.
///
/// `@unchecked Sendable`: mutable state is touched only on the worker's event loop; the
/// packet path runs there and public methods hop there.
public final class Producer: @unchecked Sendable {
    public let id: String
    public let kind: MediaKind
    /// The parameters as the sender gave them (after validation, with the transport's CNAME).
    public let rtpParameters: RtpParameters
    public let type: ProducerType
    /// The router-side form every consumer's parameters derive from.
    public let consumableRtpParameters: RtpParameters
    public let events: AsyncStream<ProducerEvent>
    private let eventSink: AsyncStream<ProducerEvent>.Continuation

    unowned let transport: Transport
    private let mapping: RtpParametersMapping
    private var streamsBySsrc: [UInt32: ProducerRtpStream] = [:]
    private var streamsByRtxSsrc: [UInt32: ProducerRtpStream] = [:]
    /// Streams by encoding index, nil until their first packet.
    private(set) var streams: [ProducerRtpStream?]
    private var consumers: [Consumer] = []
    /// The pipe consumer on another router this producer re-creates (`Router.pipeToRouter`):
    /// closing this producer closes it.
    weak var pipeConsumer: Consumer?
    /// Producer payload type → router payload type, for media and RTX codecs.
    private var payloadTypeMap: [UInt8: UInt8] = [:]
    /// RTX payload type → the media payload type it repairs.
    private var rtxAssociatedPayloadTypes: [UInt8: UInt8] = [:]
    private let extensionIdMap: RtpHeaderExtensionIdMap
    /// The router's id of the transport-wide sequence number extension, for video: packets that
    /// come without one get room for it here, once, so that every consumer numbering them for
    /// its transport's bandwidth estimate writes it in place (mediasoup does the same).
    private let transportCcExtensionId: UInt8?
    private let ridExtensionId: UInt8?
    private let repairedRidExtensionId: UInt8?
    private let videoOrientationExtensionId: UInt8?
    private let audioLevelExtensionId: UInt8?
    private var observers: [AudioLevelObserver] = []
    private var lastVideoOrientation: RtpVideoOrientation?
    private var keyFrameRequests: KeyFrameRequestManager
    private var lastScores: [ProducerScore] = []
    public private(set) var paused: Bool
    public private(set) var isClosed = false

    init(
        id: String, transport: Transport, options: ProducerOptions, rtpParameters: RtpParameters,
        mapping: RtpParametersMapping, consumableRtpParameters: RtpParameters, routerCapabilities: RtpCapabilities
    ) {
        self.id = id
        self.kind = options.kind
        self.rtpParameters = rtpParameters
        self.type = ProducerType(rtpParameters: rtpParameters)
        self.consumableRtpParameters = consumableRtpParameters
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: EventBuffering.policy())
        self.transport = transport
        self.mapping = mapping
        EngineMetrics.producers.increment()
        self.paused = options.paused
        self.streams = Array(repeating: nil, count: max(1, rtpParameters.encodings?.count ?? 1))
        self.keyFrameRequests = KeyFrameRequestManager(
            keyFrameRequestDelay: .milliseconds(Int64(max(0, options.keyFrameRequestDelay))))
        for codec in mapping.codecs {
            guard let from = UInt8(exactly: codec.payloadType), let to = UInt8(exactly: codec.mappedPayloadType) else {
                continue
            }
            payloadTypeMap[from] = to
        }
        for codec in rtpParameters.codecs where codec.isRtx {
            if let apt = codec.associatedPayloadType, let rtx = UInt8(exactly: codec.payloadType),
                let media = UInt8(exactly: apt)
            {
                rtxAssociatedPayloadTypes[rtx] = media
                payloadTypeMap[rtx] = payloadTypeMap[media]
            }
        }
        var idMap = RtpHeaderExtensionIdMap()
        var ridId: UInt8?
        var repairedRidId: UInt8?
        var orientationId: UInt8?
        var audioLevelId: UInt8?
        for header in rtpParameters.headerExtensions ?? [] {
            guard let id = UInt8(exactly: header.id) else { continue }
            if header.uri == RtpHeaderExtensionUri.rtpStreamId.rawValue { ridId = id }
            if header.uri == RtpHeaderExtensionUri.repairedRtpStreamId.rawValue { repairedRidId = id }
            if header.uri == RtpHeaderExtensionUri.videoOrientation.rawValue { orientationId = id }
            if header.uri == RtpHeaderExtensionUri.ssrcAudioLevel.rawValue { audioLevelId = id }
            // Only extensions the router offers survive, under the router's ids.
            if let target = consumableRtpParameters.headerExtensions?.first(where: { $0.uri == header.uri }),
                let targetId = UInt8(exactly: target.id)
            {
                idMap[id] = targetId
            }
        }
        extensionIdMap = idMap
        transportCcExtensionId = kind == .video
            ? consumableRtpParameters.headerExtensions?
                .first { $0.uri == RtpHeaderExtensionUri.transportWideCc01.rawValue }
                .flatMap { UInt8(exactly: $0.id) }
            : nil
        ridExtensionId = ridId
        repairedRidExtensionId = repairedRidId
        videoOrientationExtensionId = orientationId
        audioLevelExtensionId = audioLevelId
    }

    var eventLoop: any EventLoop { transport.eventLoop }

    // MARK: - Public API

    public func pause() async {
        _ = try? await transport.worker.onLoop { [self] in setPausedOnLoop(true) }
    }

    public func resume() async {
        _ = try? await transport.worker.onLoop { [self] in setPausedOnLoop(false) }
    }

    func setPausedOnLoop(_ paused: Bool) {
        guard paused != self.paused, !isClosed else { return }
        self.paused = paused
        let now = NIODeadline.now()
        for case let stream? in streams {
            if paused { stream.receive.pause() } else { stream.receive.resume(now: now) }
        }
        for consumer in consumers { consumer.producerPausedChanged(paused: paused) }
    }

    /// Closes the producer and its consumers (which report `producerClosed`). No event here.
    /// Injects one RTP packet (mediasoup's `producer.send()`); only for producers on a
    /// DirectTransport.
    public func send(_ rtpPacket: ByteBuffer) async throws {
        guard let direct = transport as? DirectTransport else {
            throw EngineError.invalidState("send() is only for producers on a DirectTransport")
        }
        try await direct.injectRtp(rtpPacket)
    }

    deinit { EngineMetrics.producers.decrement() }

    public func close() async {
        _ = try? await transport.worker.onLoop { [self] in closeOnLoop(reason: .explicit) }
    }

    public func getStats() async -> [RtpInboundStreamStats] {
        (try? await transport.worker.onLoop { [self] in
            streams.compactMap { $0?.receive.stats(now: .now()) }
        }) ?? []
    }

    public var scores: [ProducerScore] {
        get async { (try? await transport.worker.onLoop { [self] in currentScores() }) ?? [] }
    }

    // MARK: - On the loop

    /// The SSRCs of the streams received, media and RTX.
    var receivedSsrcs: [UInt32] { Array(streamsBySsrc.keys) + Array(streamsByRtxSsrc.keys) }

    /// Whether `ssrc` is one of the streams received, media or RTX.
    func hasStream(ssrc: UInt32) -> Bool { streamsBySsrc[ssrc] != nil || streamsByRtxSsrc[ssrc] != nil }

    func addConsumer(_ consumer: Consumer) {
        consumers.append(consumer)
    }

    func addObserver(_ observer: AudioLevelObserver) { observers.append(observer) }

    func removeObserver(_ observer: AudioLevelObserver) { observers.removeAll { $0 === observer } }

    func removeConsumer(_ consumer: Consumer) {
        consumers.removeAll { $0 === consumer }
    }

    /// The stream of `encodingIndex`, if it has received anything.
    func stream(encodingIndex: Int) -> ProducerRtpStream? {
        streams.indices.contains(encodingIndex) ? streams[encodingIndex] : nil
    }

    func receiveRtpPacket(_ packet: inout RtpPacket, now: NIODeadline) {
        guard !isClosed else { return }
        if let stream = streamsBySsrc[packet.ssrc] {
            receiveMedia(&packet, stream: stream, now: now)
        } else if let stream = streamsByRtxSsrc[packet.ssrc] {
            receiveRtx(&packet, stream: stream, now: now)
        } else if rtxAssociatedPayloadTypes[packet.payloadType] != nil {
            guard let stream = streamForNewRtx(packet) else { return drop() }
            stream.rtxSsrc = packet.ssrc
            stream.receive.learnRtxSsrc(packet.ssrc)
            streamsByRtxSsrc[packet.ssrc] = stream
            receiveRtx(&packet, stream: stream, now: now)
        } else if let stream = createStream(for: packet) {
            // The first packets may have been lost (a browser sends before `produce` is
            // answered): without a key frame now, consumers wait for the sender's next one,
            // which libwebrtc may not send for a long time. As in mediasoup, the request goes
            // outside the one-a-second limit, which would hold back a consumer's right after.
            if kind == .video, !paused, !isKeyFrame(packet, stream: stream) { sendKeyFrameRequest(stream: stream, now: now) }
            receiveMedia(&packet, stream: stream, now: now)
        } else {
            drop()
        }
    }

    private func drop() {
        transport.counters.droppedRtp += 1
    }

    private func receiveMedia(_ packet: inout RtpPacket, stream: ProducerRtpStream, now: NIODeadline) {
        guard packet.payloadType == stream.mediaPayloadType else { return drop() }
        let isKeyFrame = isKeyFrame(packet, stream: stream)
        let vp8Descriptor = stream.vp8Descriptor(of: packet)
        let vp9Descriptor = stream.vp9Descriptor(of: packet)
        let reception = stream.receive.receivePacket(
            stream.packetInfo(of: packet, isKeyFrame: isKeyFrame, vp8: vp8Descriptor, vp9: vp9Descriptor), now: now)
        guard reception.accepted else { return drop() }
        transport.counters.accepted(rtpBytes: packet.size, isRetransmission: false, now: now)
        sendNack(reception.nackSequenceNumbers, stream: stream, now: now)
        if reception.keyFrameRequired { requestKeyFrame(stream: stream, now: now) }
        if reception.restarted {
            for consumer in consumers { consumer.sourceRestarted(encodingIndex: stream.encodingIndex) }
        }
        deliver(
            &packet, stream: stream, isKeyFrame: isKeyFrame, vp8Descriptor: vp8Descriptor, vp9Descriptor: vp9Descriptor,
            now: now)
    }

    private func receiveRtx(_ packet: inout RtpPacket, stream: ProducerRtpStream, now: NIODeadline) {
        let rtxSequenceNumber = packet.sequenceNumber
        let rtxSize = packet.size
        guard (try? packet.rtxDecapsulate(payloadType: stream.mediaPayloadType, ssrc: stream.ssrc)) != nil else {
            return drop()
        }
        let isKeyFrame = isKeyFrame(packet, stream: stream)
        let vp8Descriptor = stream.vp8Descriptor(of: packet)
        let vp9Descriptor = stream.vp9Descriptor(of: packet)
        let reception = stream.receive.receiveRtxPacket(
            stream.packetInfo(of: packet, isKeyFrame: isKeyFrame, vp8: vp8Descriptor, vp9: vp9Descriptor),
            rtxSequenceNumber: rtxSequenceNumber, now: now)
        // Padding probes and duplicates of packets that were never missing go no further.
        guard reception.accepted else { return }
        transport.counters.accepted(rtpBytes: rtxSize, isRetransmission: true, now: now)
        deliver(
            &packet, stream: stream, isKeyFrame: isKeyFrame, vp8Descriptor: vp8Descriptor, vp9Descriptor: vp9Descriptor,
            now: now)
    }

    private func isKeyFrame(_ packet: RtpPacket, stream: ProducerRtpStream) -> Bool {
        guard let codec = stream.keyFrameCodec, packet.payloadLength > 0 else { return false }
        return CodecPayloadInspector.isKeyFrame(payload: packet.payload, codec: codec)
    }

    /// Turns the packet into the router's form and hands it to every consumer, with its VP8 or
    /// VP9 payload descriptor when the stream reads them.
    private func deliver(
        _ packet: inout RtpPacket, stream: ProducerRtpStream, isKeyFrame: Bool, vp8Descriptor: Vp8PayloadDescriptor?,
        vp9Descriptor: Vp9PayloadDescriptor?, now: NIODeadline
    ) {
        stream.lastPacketTime = now
        if isKeyFrame { keyFrameRequests.keyFrameReceived(ssrc: stream.ssrc) }
        if let id = videoOrientationExtensionId, let orientation = packet.videoOrientation(extensionId: id),
            orientation != lastVideoOrientation
        {
            lastVideoOrientation = orientation
            eventSink.yield(.videoOrientationChange(orientation))
        }
        guard !paused else { return }
        if !observers.isEmpty, let id = audioLevelExtensionId, let level = packet.audioLevel(extensionId: id) {
            for observer in observers { observer.receive(level, producerId: self.id) }
        }
        guard !consumers.isEmpty else { return }
        packet.ssrc = stream.mappedSsrc
        if let mapped = payloadTypeMap[packet.payloadType] { packet.payloadType = mapped }
        guard (try? packet.remapHeaderExtensionIds(extensionIdMap)) != nil else { return drop() }
        if let id = transportCcExtensionId, packet.transportWideSequenceNumber(extensionId: id) == nil {
            try? packet.setTransportWideSequenceNumber(0, extensionId: id)
        }
        for consumer in consumers {
            consumer.forward(
                packet, encodingIndex: stream.encodingIndex, isKeyFrame: isKeyFrame, vp8Descriptor: vp8Descriptor,
                vp9Descriptor: vp9Descriptor, now: now)
        }
    }

    private func createStream(for packet: RtpPacket) -> ProducerRtpStream? {
        let encodings = rtpParameters.encodings ?? []
        var index: Int?
        if let bySsrc = mapping.encodings.firstIndex(where: { $0.ssrc == packet.ssrc }) {
            index = bySsrc
        } else if let id = ridExtensionId, let rid = packet.rid(extensionId: id) {
            index = mapping.encodings.firstIndex { $0.rid == rid }
        } else if mapping.encodings.count == 1, mapping.encodings[0].ssrc == nil, mapping.encodings[0].rid == nil {
            index = 0
        }
        guard let index, streams.indices.contains(index), streams[index] == nil,
            mapping.encodings.indices.contains(index), encodings.indices.contains(index),
            let codec = rtpParameters.mediaCodec(for: encodings[index])
        else { return nil }
        let encoding = encodings[index]
        let stream = ProducerRtpStream(
            encodingIndex: index, ssrc: packet.ssrc, rid: encoding.rid, rtxSsrc: encoding.rtx?.ssrc,
            mappedSsrc: mapping.encodings[index].mappedSsrc, codec: codec, kind: kind,
            scalabilityMode: ScalabilityMode(parsing: encoding.scalabilityMode),
            selectsLayers: ConsumerType(producerType: type, pipe: false).selectsLayers)
        if let rtxSsrc = encoding.rtx?.ssrc { streamsByRtxSsrc[rtxSsrc] = stream }
        streams[index] = stream
        streamsBySsrc[packet.ssrc] = stream
        return stream
    }

    /// The stream an RTX packet with an SSRC not announced repairs: by its repaired-rid, or
    /// the only stream when there is one.
    private func streamForNewRtx(_ packet: RtpPacket) -> ProducerRtpStream? {
        let live = streams.compactMap { $0 }
        if let id = repairedRidExtensionId, let rid = packet.repairedRid(extensionId: id) {
            return live.first { $0.rid == rid && $0.rtxSsrc == nil }
        }
        return live.count == 1 && live[0].rtxSsrc == nil ? live[0] : nil
    }

    func receiveSenderReport(_ report: SenderReport, now: NIODeadline) {
        streamsBySsrc[report.ssrc]?.receive.receiveSenderReport(report, now: now)
    }

    /// RR blocks about every received stream, for the transport's periodic report.
    func receiverReportBlocks(now: NIODeadline) -> [ReportBlock] {
        streams.compactMap { $0?.receive.receiverReportBlock(now: now) }
    }

    /// A consumer asked for a key frame of the stream it forwards.
    func requestKeyFrame(encodingIndex: Int, now: NIODeadline) {
        guard kind == .video, let stream = stream(encodingIndex: encodingIndex) else { return }
        requestKeyFrame(stream: stream, now: now)
    }

    private func requestKeyFrame(stream: ProducerRtpStream, now: NIODeadline) {
        guard keyFrameRequests.requestKeyFrame(ssrc: stream.ssrc, now: now) else { return }
        sendKeyFrameRequest(stream: stream, now: now)
    }

    private func sendKeyFrameRequest(stream: ProducerRtpStream, now: NIODeadline) {
        guard let request = stream.receive.requestKeyFrame() else { return }
        transport.sendRtcp(RtcpCompoundPacket([request]), now: now)
    }

    private func sendNack(_ sequenceNumbers: [UInt16], stream: ProducerRtpStream, now: NIODeadline) {
        guard !sequenceNumbers.isEmpty else { return }
        transport.sendRtcp(RtcpCompoundPacket([
            .genericNack(GenericNack(
                senderSsrc: transport.rtcpSenderSsrc, mediaSsrc: stream.ssrc, lostSequenceNumbers: sequenceNumbers))
        ]), now: now)
    }

    func tick(now: NIODeadline) {
        for case let stream? in streams {
            if let deadline = stream.receive.nextTimeout, deadline <= now {
                sendNack(stream.receive.poll(now: now), stream: stream, now: now)
            }
        }
        for ssrc in keyFrameRequests.poll(now: now) {
            if let stream = streamsBySsrc[ssrc] { sendKeyFrameRequest(stream: stream, now: now) }
        }
        let scores = currentScores()
        if scores != lastScores {
            lastScores = scores
            eventSink.yield(.score(scores))
            for consumer in consumers { consumer.producerScoresChanged() }
        }
    }

    func currentScores() -> [ProducerScore] {
        streams.compactMap { $0 }.map {
            ProducerScore(encodingIdx: $0.encodingIndex, ssrc: $0.ssrc, rid: $0.rid, score: $0.score)
        }
    }

    func closeOnLoop(reason: CloseReason) {
        guard !isClosed else { return }
        isClosed = true
        for consumer in consumers { consumer.closeOnLoop(reason: .producerClosed) }
        consumers.removeAll()
        for observer in observers { observer.producerClosed(id: id) }
        observers.removeAll()
        transport.router.producerClosed(self)
        if reason == .explicit {
            transport.producerClosed(self)
        } else {
            eventSink.yield(.closed(reason))
        }
        eventSink.finish()
        if let pipeConsumer {
            pipeConsumer.transport.eventLoop.execute { pipeConsumer.closeOnLoop(reason: .explicit) }
        }
    }
}
