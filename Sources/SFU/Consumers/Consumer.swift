import Foundation
import NIOCore

/// An outgoing copy of a producer on a transport (mediasoup's SimpleConsumer, SimulcastConsumer,
/// SvcConsumer and PipeConsumer): picks the producer stream (or, in a VP9 SVC stream, the
/// layers) to forward, rewrites SSRC, sequence numbers,
/// timestamps and header extensions so the receiver sees one continuous stream, answers NACKs
/// from its retransmission buffer and passes key frame requests to the producer.
///
/// A pipe consumer forwards every producer encoding, each as its own stream, with the
/// timestamps unchanged: the producer it feeds on another router re-creates the original.
///
/// `@unchecked Sendable`: mutable state is touched only on the worker's event loop; the
/// packet path runs there and public methods hop there.
public final class Consumer: @unchecked Sendable {
    public let id: String
    public let producerId: String
    public let kind: MediaKind
    public let rtpParameters: RtpParameters
    public let type: ConsumerType
    public let events: AsyncStream<ConsumerEvent>
    private let eventSink: AsyncStream<ConsumerEvent>.Continuation

    /// Strong: the packet path then calls it without the per-packet liveness check an
    /// `unowned` reference costs. The transport lets go of its consumers when either closes,
    /// so the cycle ends with them.
    let transport: Transport
    /// The id of the transport it sends on.
    public var transportId: String { transport.id }
    private weak var producer: Producer?
    private let header: ConsumerHeaderRewrite
    private let encodingCount: Int
    /// The encodings of a simulcast consumer, the spatial layers of an SVC one.
    private let spatialLayerCount: Int
    private let temporalLayerCount: Int
    /// A simulcast consumer drops the temporal layers above the one it aims at: of VP8 only,
    /// whose payload descriptor it reads (VP9 and H264 simulcast go with all their layers).
    private let filtersTemporalLayers: Bool
    /// An SVC consumer's stream is K-SVC: changing spatial layer waits for a key frame.
    private let isKSvc: Bool
    /// The layers an SVC consumer of VP9 forwards; nil until its segment starts.
    private var svcFilter: SvcLayerFilter?
    /// The layers an SVC consumer last aimed at: a key frame is asked for when they change to
    /// what only a key frame can switch to.
    private var svcTarget: SvcLayerFilter.Layers?
    /// One for a simple or simulcast consumer; one per producer encoding for a pipe consumer.
    private var streams: [ConsumerStream]
    /// The producer on another router this pipe consumer feeds (`Router.pipeToRouter`): its
    /// producer's pause, resume and close are passed on to it.
    weak var pipedProducer: Producer?

    public private(set) var paused: Bool
    public private(set) var producerPaused: Bool
    public private(set) var preferredLayers: ConsumerLayers?
    public private(set) var priority = 1
    private var transportReady = false
    private var currentEncodingIndex: Int?
    private var targetEncodingIndex: Int?
    private var lastScore: ConsumerScore?
    /// The id of the transport-wide sequence number extension this video consumer negotiated:
    /// its packets are numbered by the transport and count in its bandwidth estimate.
    let transportCcExtensionId: UInt8?
    /// Audio, and video whose key frames this server cannot tell (AV1, H265): forwarding starts,
    /// and switches encoding, on any packet, as in mediasoup; waiting for a key frame would wait
    /// for ever.
    private let startsOnAnyPacket: Bool
    /// The highest layers the transport's bandwidth estimate leaves room for; nil when the
    /// estimate does not limit this consumer.
    private var bandwidthLimit: BandwidthLayer?
    /// When the estimate last moved this consumer down from the encoding it was forwarding: it
    /// does not move up again for ``bandwidthUpgradeHoldoff`` (mediasoup's conservative period
    /// after a downgrade), so a path at its limit does not flip between two encodings.
    private var lastBandwidthDowngrade: NIODeadline?
    static let bandwidthUpgradeHoldoff = TimeAmount.seconds(10)
    /// A move down counts as a downgrade only once the consumer has been sending this long: the
    /// first estimates after it starts are rough.
    static let bandwidthDowngradeMinimumActiveTime = TimeAmount.seconds(8)
    private var activeSince: NIODeadline?
    public private(set) var isClosed = false

    init(transport: Transport, producer: Producer, options: ConsumerOptions, rtpParameters: RtpParameters) {
        self.id = UUID().uuidString.lowercased()
        self.producerId = producer.id
        self.kind = producer.kind
        self.rtpParameters = rtpParameters
        self.type = ConsumerType(producerType: producer.type, pipe: options.pipe)
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: EventBuffering.policy())
        self.transport = transport
        self.producer = producer
        EngineMetrics.consumers.increment()
        let encodings = rtpParameters.encodings ?? []
        let rtxPayloadType = rtpParameters.codecs.first(where: \.isRtx).flatMap { UInt8(exactly: $0.payloadType) }
        let mediaCodec = rtpParameters.codecs.first { !$0.isRtx }
        self.startsOnAnyPacket =
            producer.kind == .audio || CodecPayloadInspector.Codec(mimeType: mediaCodec?.mimeType ?? "") == nil
        var idMap = RtpHeaderExtensionIdMap()
        var midId: UInt8?
        var transportCcId: UInt8?
        for header in rtpParameters.headerExtensions ?? [] {
            guard let id = UInt8(exactly: header.id) else { continue }
            idMap[id] = id
            if header.uri == RtpHeaderExtensionUri.mid.rawValue { midId = id }
            if header.uri == RtpHeaderExtensionUri.transportWideCc01.rawValue { transportCcId = id }
        }
        // As in mediasoup, audio is left out of the estimate.
        self.transportCcExtensionId = producer.kind == .video && !options.pipe ? transportCcId : nil
        let mid = rtpParameters.mid.flatMap { value in midId.map { (extensionId: $0, value: value) } }
        self.header = ConsumerHeaderRewrite(mid: mid, extensionIdMap: idMap)
        self.encodingCount = producer.consumableRtpParameters.encodings?.count ?? 1
        let mode = ScalabilityMode(parsing: encodings.first?.scalabilityMode)
        self.temporalLayerCount = mode.temporalLayers
        self.spatialLayerCount = type == .svc ? mode.spatialLayers : encodingCount
        self.isKSvc = mode.ksvc
        let clockRate = UInt32(mediaCodec?.clockRate ?? 90000)
        let usesNack = mediaCodec?.rtcpFeedback.contains { $0.type == "nack" && ($0.parameter ?? "").isEmpty } ?? false
        // Only consumers that switch between encodings renumber pictures: a simple consumer's
        // source keeps its own numbering, and parsing every packet would cost it for nothing.
        let rewritesVp8Pictures = type.selectsLayers && mediaCodec?.mimeType.lowercased() == "video/vp8"
        self.filtersTemporalLayers = rewritesVp8Pictures && type == .simulcast && temporalLayerCount > 1
        self.streams = (encodings.isEmpty ? [RtpEncodingParameters()] : encodings).map { encoding in
            var rtx: RtxSequencer?
            if let rtxPayloadType, let rtxSsrc = encoding.rtx?.ssrc {
                rtx = RtxSequencer(payloadType: rtxPayloadType, ssrc: rtxSsrc)
            }
            let send = RtpStreamSend(
                parameters: .init(
                    ssrc: encoding.ssrc ?? 0, kind: producer.kind.rawValue, mimeType: mediaCodec?.mimeType ?? "",
                    clockRate: clockRate, useNack: usesNack),
                rtx: rtx)
            var stream = ConsumerStream(
                ssrc: encoding.ssrc ?? 0, rtxSsrc: encoding.rtx?.ssrc, rewriter: RtpStreamRewriter(clockRate: clockRate),
                send: send)
            if rewritesVp8Pictures { stream.vp8 = Vp8PictureRewriter() }
            return stream
        }
        self.paused = options.paused
        self.producerPaused = producer.paused
        self.preferredLayers = options.preferredLayers
        if encodingCount == 1 || type == .pipe {
            targetEncodingIndex = 0
            // A simulcast consumer of one encoding (temporal layers only) starts it at a key
            // frame, and reports its layers then, like one of several.
            if type != .simulcast { currentEncodingIndex = 0 }
        }
    }

    /// The SSRCs receivers address feedback to (media and RTX), of every stream.
    var ssrcs: [UInt32] { streams.flatMap { [$0.ssrc] + ($0.rtxSsrc.map { [$0] } ?? []) } }

    /// The stream sending on `ssrc` (media or RTX).
    private func streamIndex(ssrc: UInt32) -> Int? {
        streams.firstIndex { $0.ssrc == ssrc || $0.rtxSsrc == ssrc }
    }

    deinit { EngineMetrics.consumers.decrement() }

    private var isActive: Bool { transportReady && !paused && !producerPaused && !isClosed }

    // MARK: - Public API

    public func pause() async {
        _ = try? await transport.worker.onLoop { [self] in
            guard !paused, !isClosed else { return }
            paused = true
            for index in streams.indices { streams[index].send.pause() }
            becameInactive()
        }
    }

    /// Resumes; a video consumer asks the producer for a key frame so the picture starts at once.
    public func resume() async {
        _ = try? await transport.worker.onLoop { [self] in
            guard paused, !isClosed else { return }
            paused = false
            becameActive(now: .now())
        }
    }

    public func setPreferredLayers(_ layers: ConsumerLayers) async {
        _ = try? await transport.worker.onLoop { [self] in
            preferredLayers = layers
            updateTargetLayer(now: .now())
        }
    }

    public func setPriority(_ priority: Int) async {
        _ = try? await transport.worker.onLoop { [self] in self.priority = min(255, max(1, priority)) }
    }

    public func requestKeyFrame() async {
        _ = try? await transport.worker.onLoop { [self] in requestKeyFrameFromProducer(now: .now()) }
    }

    public var score: ConsumerScore {
        get async { (try? await transport.worker.onLoop { [self] in currentScore() }) ?? ConsumerScore(score: 0, producerScore: 0, producerScores: []) }
    }

    public var currentLayers: ConsumerLayers? {
        get async {
            (try? await transport.worker.onLoop { [self] in
                if type == .svc { return svcFilter?.current.consumerLayers }
                return layers(forEncoding: currentEncodingIndex)
            }) ?? nil
        }
    }

    /// The outbound streams' stats followed by the forwarded producer stream's (a simple or
    /// simulcast consumer's).
    public func getStats() async -> [RtpStreamStats] {
        (try? await transport.worker.onLoop { [self] in
            let now = NIODeadline.now()
            var stats: [RtpStreamStats] = streams.map { .outbound($0.send.stats(now: now)) }
            if type != .pipe, let index = currentEncodingIndex, let stream = producer?.stream(encodingIndex: index) {
                stats.append(.inbound(stream.receive.stats(now: now)))
            }
            return stats
        }) ?? []
    }

    /// Closes the consumer. No event on it.
    public func close() async {
        _ = try? await transport.worker.onLoop { [self] in closeOnLoop(reason: .explicit) }
    }

    // MARK: - Packet path

    /// Forwards the router's `packet` of encoding `encodingIndex`; `vp8Descriptor` and
    /// `vp9Descriptor` are its payload descriptor, read once by the producer for every consumer
    /// that selects layers.
    func forward(
        _ packet: RtpPacket, encodingIndex: Int, isKeyFrame: Bool, vp8Descriptor: Vp8PayloadDescriptor?,
        vp9Descriptor: Vp9PayloadDescriptor?, now: NIODeadline
    ) {
        guard isActive else { return }
        if type == .svc, let vp9Descriptor {
            forwardSvc(packet, descriptor: vp9Descriptor, isKeyFrame: isKeyFrame, now: now)
            return
        }
        if type == .pipe {
            guard streams.indices.contains(encodingIndex) else { return }
            send(packet, on: encodingIndex, isKeyFrame: isKeyFrame, keepsTimestamp: true, vp8Descriptor: nil, now: now)
            return
        }
        if encodingIndex == targetEncodingIndex, encodingIndex != currentEncodingIndex, isKeyFrame || startsOnAnyPacket {
            currentEncodingIndex = encodingIndex
            streams[0].syncRequired = true
            eventSink.yield(.layersChange(layers(forEncoding: encodingIndex)))
        }
        guard encodingIndex == currentEncodingIndex else { return }
        send(packet, on: 0, isKeyFrame: isKeyFrame, keepsTimestamp: false, vp8Descriptor: vp8Descriptor, now: now)
    }

    /// Forwards the layers of a VP9 SVC stream the ``SvcLayerFilter`` lets through; the others
    /// leave no gap in the sequence numbers.
    private func forwardSvc(_ packet: RtpPacket, descriptor: Vp9PayloadDescriptor, isKeyFrame: Bool, now: NIODeadline) {
        let target = svcTarget ?? currentSvcTarget
        let before = svcFilter?.current
        if streams[0].syncRequired {
            guard isKeyFrame else { return }
            svcFilter = SvcLayerFilter(target: target, isKSvc: isKSvc)
        }
        guard var filter = svcFilter else { return }
        let decision = filter.decide(descriptor, isKeyFrame: isKeyFrame, target: target)
        svcFilter = filter
        if filter.current != before { eventSink.yield(.layersChange(filter.current.consumerLayers)) }
        guard decision.forwards else {
            streams[0].skip(packet)
            return
        }
        var outgoing = packet
        if decision.endsPicture, !outgoing.marker { outgoing.marker = true }
        send(outgoing, on: 0, isKeyFrame: isKeyFrame, keepsTimestamp: false, vp8Descriptor: nil, now: now)
    }

    /// The layers an SVC consumer moves towards: the preferred ones, or lower where the bandwidth
    /// estimate leaves room for less.
    private var currentSvcTarget: SvcLayerFilter.Layers {
        let preferred = SvcLayerFilter.Layers(spatialLayer: preferredSpatialLayer, temporalLayer: preferredTemporalLayer)
        guard let bandwidthLimit,
            (bandwidthLimit.spatialLayer, bandwidthLimit.temporalLayer) < (preferred.spatialLayer, preferred.temporalLayer)
        else { return preferred }
        return SvcLayerFilter.Layers(spatialLayer: bandwidthLimit.spatialLayer, temporalLayer: bandwidthLimit.temporalLayer)
    }

    /// Rewrites the router's `packet` into stream `index` and sends it. A segment starts at a
    /// key frame (any audio packet).
    private func send(
        _ packet: RtpPacket, on index: Int, isKeyFrame: Bool, keepsTimestamp: Bool,
        vp8Descriptor: Vp8PayloadDescriptor?, now: NIODeadline
    ) {
        // A padding-only packet (its sender probing the bandwidth) goes no further, as in
        // mediasoup, except through a pipe; the sequence numbers close over it.
        if type != .pipe, packet.payloadLength == 0 {
            streams[index].dropPadding(sequenceNumber: packet.sequenceNumber)
            return
        }
        var temporalLayerChanged = false
        let outgoing = streams[index].prepare(
            packet, canStartSegment: isKeyFrame || startsOnAnyPacket, keepsTimestamp: keepsTimestamp,
            temporalLayer: targetTemporalLayer, vp8Descriptor: vp8Descriptor, header: header, now: now,
            temporalLayerChanged: &temporalLayerChanged)
        if temporalLayerChanged { eventSink.yield(.layersChange(layers(forEncoding: currentEncodingIndex))) }
        guard let outgoing else { return }
        transport.sendRtp(consume outgoing, isRetransmission: false, transportCcExtensionId: transportCcExtensionId, now: now)
    }

    /// The highest VP8 temporal layer a simulcast consumer forwards: the preferred one, or all,
    /// and no more than the bandwidth estimate leaves room for in the encoding forwarded; nil
    /// when the consumer does not filter temporal layers.
    private var targetTemporalLayer: UInt8? {
        guard filtersTemporalLayers else { return nil }
        var layer = preferredTemporalLayer
        if let bandwidthLimit, bandwidthLimit.spatialLayer == currentEncodingIndex {
            layer = min(layer, bandwidthLimit.temporalLayer)
        }
        return UInt8(clamping: layer)
    }

    /// The producer's stream of `encodingIndex` restarted its sequence numbers: the stream
    /// forwarding it numbers on from where it was, rather than refuse the new numbers as old.
    func sourceRestarted(encodingIndex: Int) {
        if type == .pipe {
            guard streams.indices.contains(encodingIndex) else { return }
            streams[encodingIndex].sourceRestarted()
        } else if encodingIndex == currentEncodingIndex {
            streams[0].sourceRestarted()
        }
    }

    // MARK: - Feedback from the receiver

    func receiveNack(_ nack: GenericNack, now: NIODeadline) {
        guard isActive, let index = streamIndex(ssrc: nack.mediaSsrc) else { return }
        let (ssrc, header, vp8) = (streams[index].ssrc, header, streams[index].vp8)
        let packets = streams[index].send.receiveNack(nack, now: now) { packet in
            _ = header.apply(to: &packet, ssrc: ssrc)
            vp8?.restore(&packet)
        }
        for packet in packets {
            transport.sendRtp(packet, isRetransmission: true, transportCcExtensionId: transportCcExtensionId, now: now)
        }
    }

    func receiveKeyFrameRequest(_ request: RtpStreamSend.KeyFrameRequest, ssrc: UInt32, now: NIODeadline) {
        guard let index = streamIndex(ssrc: ssrc) else { return }
        streams[index].send.receiveKeyFrameRequest(request)
        guard isActive, kind == .video else { return }
        if type == .pipe {
            producer?.requestKeyFrame(encodingIndex: index, now: now)
        } else {
            requestKeyFrameFromProducer(now: now)
        }
    }

    func receiveReportBlock(_ block: ReportBlock, now: NIODeadline, ntpNow: UInt64) {
        // A block about an RTX stream (Chrome reports them once retransmissions flow) says
        // nothing of the media stream's loss, as mediasoup also finds.
        guard let index = streams.firstIndex(where: { $0.ssrc == block.ssrc }) else { return }
        streams[index].send.receiveReceiverReport(block, ntpNow: ntpNow)
        emitScoreIfChanged()
    }

    func senderReports(now: NIODeadline, ntpNow: UInt64) -> [SenderReport] {
        guard isActive else { return [] }
        return streams.compactMap { $0.send.senderReport(now: now, ntpNow: ntpNow) }
    }

    // MARK: - State changes from transport and producer

    func transportReadinessChanged(isReady: Bool) {
        guard isReady != transportReady else { return }
        transportReady = isReady
        if isReady { becameActive(now: .now()) } else { becameInactive() }
    }

    func producerPausedChanged(paused: Bool) {
        producerPaused = paused
        eventSink.yield(paused ? .producerPause : .producerResume)
        if let pipedProducer {
            pipedProducer.eventLoop.execute { pipedProducer.setPausedOnLoop(paused) }
        }
        if paused { becameInactive() } else { becameActive(now: .now()) }
    }

    func producerScoresChanged() {
        emitScoreIfChanged()
        updateTargetLayer(now: .now())
    }

    private func becameActive(now: NIODeadline) {
        guard isActive else { return }
        activeSince = now
        for index in streams.indices { streams[index].syncRequired = true }
        updateTargetLayer(now: now)
        requestKeyFrameFromProducer(now: now)
    }

    /// Paused, or the transport lost its connection: a simulcast or SVC consumer forwards no
    /// layers until it is active again and a key frame starts them, and says so (as mediasoup
    /// emits `layerschange` with none).
    private func becameInactive() {
        switch type {
        case .simulcast where currentEncodingIndex != nil:
            currentEncodingIndex = nil
        case .svc where svcFilter != nil:
            svcFilter = nil
        default:
            return
        }
        eventSink.yield(.layersChange(nil))
    }

    /// Asks for a key frame of the encoding forwarded (of every encoding, for a pipe consumer).
    private func requestKeyFrameFromProducer(now: NIODeadline) {
        guard kind == .video else { return }
        if type == .pipe {
            for index in streams.indices { producer?.requestKeyFrame(encodingIndex: index, now: now) }
        } else if let index = targetEncodingIndex ?? currentEncodingIndex {
            producer?.requestKeyFrame(encodingIndex: index, now: now)
        }
    }

    /// Simulcast: the highest active stream not above the preferred spatial layer, nor above
    /// what the bandwidth estimate leaves room for. SVC: a key frame when the layers aimed at
    /// can only be switched to at one.
    private func updateTargetLayer(now: NIODeadline) {
        if type == .svc {
            updateSvcTarget(now: now)
            return
        }
        guard encodingCount > 1, type != .pipe, let producer else { return }
        let preferred = min(preferredSpatialLayer, bandwidthLimit?.spatialLayer ?? encodingCount - 1)
        var target: Int?
        for index in stride(from: preferred, through: 0, by: -1) where producer.stream(encodingIndex: index)?.isActive(now: now) == true {
            target = index
            break
        }
        if target == nil {
            target = (preferred + 1..<encodingCount).first { producer.stream(encodingIndex: $0)?.isActive(now: now) == true }
        }
        guard target != targetEncodingIndex else { return }
        targetEncodingIndex = target
        if target == nil {
            guard currentEncodingIndex != nil else { return }
            currentEncodingIndex = nil
            eventSink.yield(.layersChange(nil))
        } else if isActive {
            requestKeyFrameFromProducer(now: now)
        }
    }

    /// A spatial layer missing from this many pictures in a row and for this long is taken as
    /// no longer sent.
    static let svcLayerAbsence = (pictures: 3, silence: TimeAmount.milliseconds(500))

    /// ``currentSvcTarget`` no higher than the highest spatial layer the producer sent lately: a
    /// K-SVC consumer forwards only its target's layer of a predicted picture, and a sender that
    /// dropped its top layer (a small camera, a poor uplink) must not leave it key frames only.
    private func updateSvcTarget(now: NIODeadline) {
        var target = currentSvcTarget
        if let received = producer?.stream(encodingIndex: 0)?.receive.highestSentSpatialLayer(
            now: now, silence: Self.svcLayerAbsence.silence, pictures: Self.svcLayerAbsence.pictures)
        {
            target.spatialLayer = min(target.spatialLayer, received)
        }
        guard target != svcTarget else { return }
        svcTarget = target
        guard isActive, let current = svcFilter?.current else { return }
        if target.spatialLayer > current.spatialLayer || (isKSvc && target.spatialLayer < current.spatialLayer) {
            requestKeyFrameFromProducer(now: now)
        }
    }

    func tick(now: NIODeadline) {
        updateTargetLayer(now: now)
    }

    /// The preferred layers within the stream's (a negative preference means the lowest).
    private var preferredSpatialLayer: Int {
        max(0, min(preferredLayers?.spatialLayer ?? spatialLayerCount - 1, spatialLayerCount - 1))
    }

    private var preferredTemporalLayer: Int {
        max(0, min(preferredLayers?.temporalLayer ?? temporalLayerCount - 1, temporalLayerCount - 1))
    }

    // MARK: - Bandwidth

    /// Whether the transport's bandwidth estimate is shared with this consumer now.
    var takesPartInBandwidthAllocation: Bool {
        transportCcExtensionId != nil && type != .pipe && isActive
    }

    /// Whether the estimate chooses among this consumer's layers: the encodings of a simulcast
    /// consumer, the spatial and temporal layers of an SVC one.
    var selectsLayersByBandwidth: Bool {
        switch type {
        case .simulcast: encodingCount > 1
        case .svc: spatialLayerCount > 1 || temporalLayerCount > 1
        case .simple, .pipe: false
        }
    }

    /// The layers this consumer can be given, cheapest first, each with what forwarding it
    /// costs: every temporal layer of every active encoding (SVC: spatial layer) up to the
    /// preferred ones (one step per encoding when they have no temporal layers). A plain
    /// consumer has one step.
    func bandwidthLayers(now: NIODeadline) -> [BandwidthLayer] {
        guard let producer else { return [] }
        if type == .svc { return svcBandwidthLayers(producer: producer, now: now) }
        let lastEncoding = selectsLayersByBandwidth ? preferredSpatialLayer : 0
        let splitsTemporalLayers = selectsLayersByBandwidth && filtersTemporalLayers
        var ladder: [BandwidthLayer] = []
        for index in 0...lastEncoding {
            guard let stream = producer.stream(encodingIndex: index), stream.isActive(now: now) else { continue }
            let total = Int(stream.receive.bitrate(now: now))
            guard total > 0 else { continue }
            guard splitsTemporalLayers else {
                ladder.append(BandwidthLayer(spatialLayer: index, temporalLayer: temporalLayerCount - 1, bitrate: total))
                continue
            }
            // Layers no packet was seen in lately (a sender without temporal layers) are skipped.
            for layer in 0...preferredTemporalLayer {
                let bitrate = Int(stream.receive.bitrate(now: now, spatialLayer: 0, temporalLayer: layer))
                if bitrate > 0 { ladder.append(BandwidthLayer(spatialLayer: index, temporalLayer: layer, bitrate: bitrate)) }
            }
        }
        return ladder
    }

    /// An SVC stream's layers up to the preferred ones, each with the bitrate of it and every
    /// layer it depends on; layers no packet was seen in lately are skipped. A stream whose
    /// packets carry no layer indices counts all in its lowest layer.
    private func svcBandwidthLayers(producer: Producer, now: NIODeadline) -> [BandwidthLayer] {
        guard let stream = producer.stream(encodingIndex: 0), stream.isActive(now: now) else { return [] }
        var ladder: [BandwidthLayer] = []
        for spatialLayer in 0...preferredSpatialLayer {
            for temporalLayer in 0...preferredTemporalLayer {
                let bitrate = Int(stream.receive.bitrate(now: now, spatialLayer: spatialLayer, temporalLayer: temporalLayer))
                if bitrate > 0 {
                    ladder.append(BandwidthLayer(spatialLayer: spatialLayer, temporalLayer: temporalLayer, bitrate: bitrate))
                }
            }
        }
        return ladder
    }

    /// What this consumer would send with no bandwidth limit (mediasoup's desired bitrate): the
    /// producer's highest encoding bitrate, or its announced maximum when that is higher.
    func desiredBitrate(now: NIODeadline) -> Int {
        guard let producer else { return 0 }
        let measured = (0..<encodingCount).compactMap { producer.stream(encodingIndex: $0) }
            .map { $0.isActive(now: now) ? Int($0.receive.bitrate(now: now)) : 0 }.max() ?? 0
        let announced = producer.rtpParameters.encodings?.compactMap(\.maxBitrate).max() ?? 0
        return max(measured, selectsLayersByBandwidth ? announced : 0)
    }

    /// The transport's estimate leaves room for layers up to `limit` (nil: for all this consumer
    /// prefers). A lower limit applies at once; a higher encoding waits until
    /// ``bandwidthUpgradeHoldoff`` has passed since the last downgrade.
    func setBandwidthLimit(_ limit: BandwidthLayer?, now: NIODeadline) {
        guard selectsLayersByBandwidth, limit != bandwidthLimit else { return }
        let spatialLayer = limit?.spatialLayer ?? spatialLayerCount - 1
        if spatialLayer > bandwidthLimit?.spatialLayer ?? spatialLayerCount - 1, let lastBandwidthDowngrade,
            now - lastBandwidthDowngrade < Self.bandwidthUpgradeHoldoff
        {
            return
        }
        // A move down because the consumer came to prefer less is not the path's doing.
        let currentSpatialLayer = type == .svc ? svcFilter?.current.spatialLayer : currentEncodingIndex
        if let current = currentSpatialLayer, spatialLayer < current, current <= preferredSpatialLayer, let activeSince,
            now - activeSince >= Self.bandwidthDowngradeMinimumActiveTime
        {
            lastBandwidthDowngrade = now
        }
        bandwidthLimit = limit
        transport.logger.debug(
            "consumer bandwidth limit",
            metadata: [
                "consumerId": "\(id)",
                "limit": "\(limit.map { "\($0.spatialLayer).\($0.temporalLayer)" } ?? "none")",
            ])
        updateTargetLayer(now: now)
    }

    /// Whether the current bandwidth limit already lets this consumer have `layer`.
    func hasBandwidth(for layer: BandwidthLayer) -> Bool {
        guard let bandwidthLimit else { return true }
        return (layer.spatialLayer, layer.temporalLayer) <= (bandwidthLimit.spatialLayer, bandwidthLimit.temporalLayer)
    }

    /// The transport no longer keeps an estimate: nothing limits this consumer's layers.
    func liftBandwidthLimit(now: NIODeadline) {
        guard bandwidthLimit != nil else { return }
        bandwidthLimit = nil
        lastBandwidthDowngrade = nil
        updateTargetLayer(now: now)
    }

    /// Padding packets of the RTX stream, `bytes` of padding in all, for a bandwidth probe; none
    /// without RTX or before the first media packet.
    func probePaddingPackets(bytes: Int) -> [RtpPacket] {
        guard isActive, streams.indices.contains(0) else { return [] }
        let maximumPadding = 255
        var packets: [RtpPacket] = []
        var remaining = bytes
        while remaining > 0, var packet = streams[0].send.rtxPaddingPacket(paddingLength: UInt8(min(remaining, maximumPadding))) {
            if let mid = header.mid { try? packet.setMid(mid.value, extensionId: mid.extensionId) }
            remaining -= maximumPadding
            packets.append(packet)
        }
        return packets
    }

    private func layers(forEncoding index: Int?) -> ConsumerLayers? {
        guard let index, type != .pipe else { return nil }
        let temporalLayer = streams.first?.temporalFilter.map { Int($0.current) } ?? temporalLayerCount - 1
        return ConsumerLayers(spatialLayer: index, temporalLayer: temporalLayer)
    }

    private func currentScore() -> ConsumerScore {
        let producerScores = producer?.currentScores().map(\.score) ?? []
        let producerScore = currentEncodingIndex.flatMap { producer?.stream(encodingIndex: $0)?.score } ?? 0
        let score = streams.map(\.send.score).min() ?? 0
        return ConsumerScore(score: Int(score), producerScore: producerScore, producerScores: producerScores)
    }

    private func emitScoreIfChanged() {
        let score = currentScore()
        guard score != lastScore else { return }
        lastScore = score
        eventSink.yield(.score(score))
    }

    func closeOnLoop(reason: CloseReason) {
        guard !isClosed else { return }
        isClosed = true
        if reason != .producerClosed { producer?.removeConsumer(self) }
        if reason != .transportClosed { transport.consumerClosed(self) }
        if reason != .explicit { eventSink.yield(.closed(reason)) }
        eventSink.finish()
        if let pipedProducer {
            pipedProducer.eventLoop.execute { pipedProducer.closeOnLoop(reason: .explicit) }
        }
    }
}
