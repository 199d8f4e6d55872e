import Foundation
import Logging
import NIOCore

/// What every transport shares (mediasoup's Transport): producing and consuming, RTP demux to
/// producers, RTCP routing to producers and consumers, periodic reports, and closing.
///
/// Subclasses provide the wire: ``sendRtpPacket(_:)``, ``sendRtcpPacket(_:)``,
/// ``isMediaReady`` and their own timers in ``tick(now:)``.
///
/// `@unchecked Sendable`: all mutable state is touched only on the worker's event loop (socket
/// handlers run there, public methods hop there with `Worker.onLoop`).
public class Transport: @unchecked Sendable {
    public let id: String
    public let router: Router
    /// Events for the signaling layer, in order; finishes when the transport closes.
    public let events: AsyncStream<TransportEvent>
    let eventSink: AsyncStream<TransportEvent>.Continuation

    private(set) var producers: [String: Producer] = [:]
    private(set) var consumers: [String: Consumer] = [:]
    // Data channels: see Transport+DataChannels.swift.
    var dataProducers: [String: DataProducer] = [:]
    var dataConsumers: [String: DataConsumer] = [:]
    var dataProducersByStream: [UInt16: DataProducer] = [:]
    /// Present when SCTP is enabled (WebRTC transports created with `enableSctp`).
    var sctpAssociation: SctpAssociation?
    var sctpStreamIds = SctpStreamIds(count: 0)
    private var consumersBySsrc: [UInt32: Consumer] = [:]
    private let rtpListener = RtpListener()
    private var receiveExtensionIds = ReceiveHeaderExtensionIds()
    /// The CNAME every producer of this transport is given (mediasoup overrides producers' own).
    private var cname: String?
    private var nextMid = 0
    /// Sender SSRC of the RTCP feedback and receiver reports this transport originates.
    let rtcpSenderSsrc = UInt32.random(in: 1...UInt32.max)
    public internal(set) var isClosed = false
    var counters = TransportCounters()
    private var nextReportTime: NIODeadline
    private var transportCcFeedback = TransportCcFeedbackGenerator()
    private var nextTransportCcFeedbackTime = NIODeadline.now()
    private(set) var incomingBitrateLimit = IncomingBitrateLimit()
    /// Present once a video consumer negotiated transport-cc (Transport+OutgoingBandwidth.swift).
    /// Touched per packet sent, only on the loop: no dynamic exclusivity check.
    @exclusivity(unchecked) var outgoingBandwidth: OutgoingBandwidth?
    /// The receiver sent no transport-cc feedback: no estimate is kept for it again.
    var outgoingBandwidthStopped = false
    /// Set with ``setMaxOutgoingBitrate(_:)``; 0 is no cap.
    var maxOutgoingBitrate = 0
    /// Set with ``enableTraceEvent(_:)``.
    var traceEventTypes: Set<TransportTraceEventType> = []

    static let reportInterval = TimeAmount.seconds(1)

    /// The time to the next RTCP reports: ``reportInterval`` varied over 0.5–1.5 times, as
    /// RFC 3550 §6.3.1 and mediasoup do, so the transports of a worker (often made together)
    /// do not all report in the same tick and hold up the media behind them.
    static func nextReportDelay() -> TimeAmount {
        .nanoseconds(reportInterval.nanoseconds * Int64.random(in: 5...15) / 10)
    }

    init(router: Router) {
        self.id = UUID().uuidString.lowercased()
        self.router = router
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: EventBuffering.policy())
        nextReportTime = .now() + Self.nextReportDelay()
        EngineMetrics.transports.increment()
    }

    deinit { EngineMetrics.transports.decrement() }

    var worker: Worker { router.worker }
    var eventLoop: any EventLoop { router.worker.eventLoop }
    var logger: Logger { router.worker.logger }
    var load: Int { producers.count + consumers.count }

    /// Starts the periodic work (the worker's ``TransportTicker``); called on the loop once the
    /// subclass is set up.
    func startTimers() {
        worker.transportTicker.add(self)
    }

    // MARK: - Subclass hooks

    /// Whether media can be sent now (ICE+DTLS connected, or a plain tuple known).
    var isMediaReady: Bool { false }

    /// Producers keep the CNAME they come with (pipe transports carry other transports'
    /// producers); otherwise every producer of the transport gets the same one.
    var keepsProducerCnames: Bool { false }

    /// Protects (if needed) and sends one RTP packet to the remote endpoint.
    func sendRtpPacket(_ packet: consuming RtpPacket) {}

    /// Protects (if needed) and sends one RTCP compound packet.
    func sendRtcpPacket(_ buffer: ByteBuffer) {}

    /// Releases sockets and protocol state; called once, on close.
    func closeResources() {}

    /// Sends one SCTP packet to the remote endpoint (over DTLS on WebRTC transports).
    func sendSctpPacket(_ packet: ByteBuffer) {}

    /// Periodic work; subclasses call `super` after their own.
    func tick(now: NIODeadline) {
        for producer in producers.values { producer.tick(now: now) }
        for consumer in consumers.values { consumer.tick(now: now) }
        if now >= nextReportTime {
            nextReportTime = now + Self.nextReportDelay()
            sendRtcpReports(now: now)
        }
        if now >= nextTransportCcFeedbackTime {
            sendTransportCcFeedback(now: now)
        }
        outgoingBandwidthTick(now: now)
        if isMediaReady, !producers.isEmpty, let bitrate = incomingBitrateLimit.announcement(now: now) {
            // No SSRCs: the limit is for everything the sender sends on this transport.
            sendRtcp(RtcpCompoundPacket([.remb(Remb(senderSsrc: rtcpSenderSsrc, bitrate: UInt64(bitrate), ssrcs: []))]), now: now)
        }
    }

    /// Called by subclasses when media becomes possible or impossible, so consumers can
    /// request key frames and resync.
    func mediaReadinessChanged() {
        for consumer in consumers.values { consumer.transportReadinessChanged(isReady: isMediaReady) }
    }

    // MARK: - Receiving

    /// Decrypts one RTP or RTCP datagram with `session` (when the transport uses SRTP) and hands
    /// it on; datagrams that fail authentication are dropped and counted.
    func receiveMedia(_ datagram: ByteBuffer, isRtcp: Bool, session: SrtpSession?, now: NIODeadline) {
        guard let buffer = unprotectMedia(datagram, isRtcp: isRtcp, session: session) else { return }
        handleMedia(buffer, isRtcp: isRtcp, now: now)
    }

    /// `datagram` decrypted with `session` (as it is without one); nil, counted, when it fails
    /// authentication.
    func unprotectMedia(_ datagram: ByteBuffer, isRtcp: Bool, session: SrtpSession?) -> ByteBuffer? {
        var buffer = datagram
        if let session {
            let result = isRtcp ? session.unprotectRtcp(&buffer) : session.unprotectRtp(&buffer)
            guard case .success = result else {
                counters.srtpFailures += 1
                return nil
            }
        }
        return buffer
    }

    /// Hands on one decrypted RTP or RTCP packet.
    func handleMedia(_ buffer: ByteBuffer, isRtcp: Bool, now: NIODeadline) {
        if isRtcp {
            receiveRtcpPacket(buffer, now: now)
        } else {
            receiveRtpPacket(buffer, now: now)
        }
    }

    func receiveRtpPacket(_ buffer: ByteBuffer, now: NIODeadline) {
        counters.received(rtpBytes: buffer.readableBytes, now: now)
        guard var packet = try? RtpPacket(buffer: buffer) else {
            counters.droppedRtp += 1
            return
        }
        // Every packet with a transport-wide sequence number counts, bandwidth probes (padding
        // on an RTX stream) included: the sender takes a packet left out for a lost one.
        if let id = receiveExtensionIds.transportWideCc, let sequenceNumber = packet.transportWideSequenceNumber(extensionId: id) {
            transportCcFeedback.packetArrived(
                sequenceNumber: sequenceNumber, ssrc: packet.ssrc, arrivalTime: Self.microseconds(arrivalTime(now: now)))
        }
        guard let (producer, foundBySsrc) = rtpListener.producer(for: packet, extensionIds: receiveExtensionIds) else {
            counters.droppedRtp += 1
            return
        }
        // The producer rewrites the SSRC (to its mapped one, or an RTX packet's to its media's).
        let ssrc = packet.ssrc
        producer.receiveRtpPacket(&packet, now: now)
        if !foundBySsrc, producer.hasStream(ssrc: ssrc) { rtpListener.learn(ssrc: ssrc, for: producer) }
    }

    /// When the packet being handled at `now` arrived: when its `recvmmsg` batch was read, so
    /// that the time spent on the packets before it in the batch does not read, in the
    /// sender's bandwidth estimate, as delay on the path (mediasoup takes the loop's time per
    /// iteration likewise). A batch read more than 5 ms ago is not this packet's (ICE-TCP).
    private func arrivalTime(now: NIODeadline) -> NIODeadline {
        guard let batchTime = worker.eventLoop.datagramBatchTime, now - batchTime < .milliseconds(5) else { return now }
        return batchTime
    }

    func receiveRtcpPacket(_ buffer: ByteBuffer, now: NIODeadline) {
        counters.received(rtcpBytes: buffer.readableBytes, now: now)
        guard let compound = try? RtcpCompoundPacket(parsing: buffer) else {
            counters.droppedRtcp += 1
            return
        }
        for packet in compound.packets {
            switch packet {
            case .senderReport(let report):
                producer(ssrc: report.ssrc)?.receiveSenderReport(report, now: now)
                for block in report.reportBlocks {
                    consumersBySsrc[block.ssrc]?.receiveReportBlock(block, now: now, ntpNow: NtpTime.now())
                }
            case .receiverReport(let report):
                for block in report.reportBlocks {
                    consumersBySsrc[block.ssrc]?.receiveReportBlock(block, now: now, ntpNow: NtpTime.now())
                }
            case .genericNack(let nack):
                consumersBySsrc[nack.mediaSsrc]?.receiveNack(nack, now: now)
            case .pictureLossIndication(let pli):
                consumersBySsrc[pli.mediaSsrc]?.receiveKeyFrameRequest(.pictureLossIndication, ssrc: pli.mediaSsrc, now: now)
            case .fullIntraRequest(let fir):
                for entry in fir.entries {
                    consumersBySsrc[entry.ssrc]?.receiveKeyFrameRequest(.fullIntraRequest, ssrc: entry.ssrc, now: now)
                }
            case .transportWideCcFeedback(let feedback):
                receiveTransportCcFeedback(feedback, now: now)
            case .sourceDescription, .goodbye, .applicationDefined, .remb, .unknown:
                break
            }
        }
    }

    private func producer(ssrc: UInt32) -> Producer? {
        producers.values.first { $0.hasStream(ssrc: ssrc) }
    }

    // MARK: - Sending RTCP

    private func sendRtcpReports(now: NIODeadline) {
        guard isMediaReady else { return }
        let ntpNow = NtpTime.now()
        for consumer in consumers.values {
            let reports = consumer.senderReports(now: now, ntpNow: ntpNow)
            guard !reports.isEmpty else { continue }
            var compound = RtcpCompoundPacket(reports.map { .senderReport($0) })
            if let cname = consumer.rtpParameters.rtcp?.cname {
                compound.append(.sourceDescription(Sdes(chunks: reports.map { Sdes.Chunk(ssrc: $0.ssrc, cname: cname) })))
            }
            sendRtcp(compound, now: now)
        }
        let blocks = producers.values.flatMap { $0.receiverReportBlocks(now: now) }
        // At most 31 report blocks fit one RR.
        for start in stride(from: 0, to: blocks.count, by: 31) {
            let chunk = Array(blocks[start..<min(start + 31, blocks.count)])
            sendRtcp(
                RtcpCompoundPacket([.receiverReport(ReceiverReport(ssrc: rtcpSenderSsrc, reportBlocks: chunk))]), now: now)
        }
    }

    /// Describes the packets that arrived since the last feedback to their sender, about every
    /// 100 ms (the ticks come every 40 ms, so the deadline advances by the interval rather than
    /// from the tick that met it).
    private func sendTransportCcFeedback(now: NIODeadline) {
        let interval = TransportCcFeedbackGenerator.interval
        nextTransportCcFeedbackTime = nextTransportCcFeedbackTime + interval
        if nextTransportCcFeedbackTime <= now { nextTransportCcFeedbackTime = now + interval }
        for feedback in transportCcFeedback.takeFeedback(senderSsrc: rtcpSenderSsrc) {
            sendRtcp(RtcpCompoundPacket([.transportWideCcFeedback(feedback)]), now: now)
        }
    }

    /// Serializes and sends `compound` (feedback from producers and consumers goes through here).
    func sendRtcp(_ compound: RtcpCompoundPacket, now: NIODeadline) {
        guard isMediaReady, let buffer = try? compound.serialized() else { return }
        counters.sent(rtcpBytes: buffer.readableBytes, now: now)
        sendRtcpPacket(buffer)
    }

    /// Sends one forwarded, retransmitted or probe RTP packet and counts it; with
    /// `transportCcExtensionId`, numbers it for the outgoing bandwidth estimate (as part of
    /// probe cluster `probeClusterId`, if given).
    /// Takes `packet` over so that, when the caller holds no other reference, SRTP protects it in
    /// place.
    func sendRtp(
        _ packet: consuming RtpPacket, isRetransmission: Bool, transportCcExtensionId: UInt8? = nil,
        probeClusterId: Int? = nil, now: NIODeadline
    ) {
        if let transportCcExtensionId {
            numberForBandwidthEstimate(
                &packet, extensionId: transportCcExtensionId, probeClusterId: probeClusterId, now: now)
        }
        counters.sent(rtpBytes: packet.size, isRetransmission: isRetransmission, now: now)
        sendRtpPacket(consume packet)
    }

    // MARK: - Bandwidth

    /// Limits what the senders of this transport's producers send, in bits per second in all
    /// (mediasoup's `setMaxIncomingBitrate`); 0 lifts the limit. Announced to them in REMB.
    public func setMaxIncomingBitrate(_ bitrate: Int) async throws {
        guard bitrate >= 0 else { throw EngineError.invalidArgument("maxIncomingBitrate must be 0 (no limit) or more") }
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            incomingBitrateLimit.set(bitrate)
        }
    }

    /// Which trace events the transport emits on ``events`` (none by default, as in mediasoup).
    public func enableTraceEvent(_ types: Set<TransportTraceEventType>) async {
        _ = try? await worker.onLoop { [self] in traceEventTypes = types }
    }

    // MARK: - Producing and consuming

    public func produce(_ options: ProducerOptions) async throws -> Producer {
        var parameters = options.rtpParameters
        try parameters.validateForProducer()
        let checkedParameters = parameters
        return try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            var parameters = checkedParameters
            if !keepsProducerCnames || parameters.rtcp?.cname == nil {
                let cname = self.cname ?? parameters.rtcp?.cname ?? Self.randomCname()
                self.cname = cname
                parameters.rtcp = RtcpParameters(cname: cname, reducedSize: parameters.rtcp?.reducedSize ?? true)
            }
            let capabilities = router.rtpCapabilities
            let mapping = try Ortc.producerRtpParametersMapping(
                rtpParameters: &parameters, routerCapabilities: capabilities)
            let consumable = Ortc.consumableRtpParameters(
                kind: options.kind, rtpParameters: parameters, routerCapabilities: capabilities, mapping: mapping)
            let producer = Producer(
                id: options.id ?? UUID().uuidString.lowercased(), transport: self, options: options,
                rtpParameters: parameters, mapping: mapping, consumableRtpParameters: consumable,
                routerCapabilities: capabilities)
            guard router.producer(id: producer.id) == nil else {
                throw EngineError.invalidArgument("a Producer with same id \"\(producer.id)\" already exists")
            }
            try rtpListener.add(producer)
            try router.addProducer(producer)
            producers[producer.id] = producer
            receiveExtensionIds.learn(from: parameters)
            return producer
        }
    }

    public func consume(_ options: ConsumerOptions) async throws -> Consumer {
        var capabilities = options.rtpCapabilities
        try capabilities.validate()
        let checkedCapabilities = capabilities
        return try await addConsumer(options) { [self] producer in
            let enableRtx = options.enableRtx ?? (producer.kind == .video)
            var parameters = try Ortc.consumerRtpParameters(
                consumableParameters: producer.consumableRtpParameters, remoteCapabilities: checkedCapabilities,
                pipe: options.pipe, enableRtx: enableRtx)
            if !options.pipe {
                if let mid = options.mid {
                    parameters.mid = mid
                } else {
                    parameters.mid = String(nextMid)
                    nextMid = (nextMid + 1) % 100_000_000
                }
            }
            return parameters
        }
    }

    /// Creates a consumer of `options.producerId` with the parameters `parametersFor` gives for
    /// that producer; on the loop.
    func addConsumer(
        _ options: ConsumerOptions, parametersFor: @escaping @Sendable (Producer) throws -> RtpParameters
    ) async throws -> Consumer {
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            guard let producer = router.producer(id: options.producerId) else {
                throw EngineError.notFound("Producer with id \"\(options.producerId)\" not found")
            }
            let consumer = Consumer(
                transport: self, producer: producer, options: options, rtpParameters: try parametersFor(producer))
            consumers[consumer.id] = consumer
            for ssrc in consumer.ssrcs { consumersBySsrc[ssrc] = consumer }
            startOutgoingBandwidthIfNeeded(for: consumer)
            producer.addConsumer(consumer)
            consumer.transportReadinessChanged(isReady: isMediaReady)
            return consumer
        }
    }

    // MARK: - Closing

    /// Closes the transport with its producers and consumers. No event on this transport.
    public func close() async {
        _ = try? await worker.onLoop { [self] in closeOnLoop(reason: .explicit) }
    }

    func closeOnLoop(reason: CloseReason) {
        guard !isClosed else { return }
        isClosed = true
        worker.transportTicker.remove(self)
        outgoingBandwidth?.probeTask?.cancel()
        for producer in producers.values { producer.closeOnLoop(reason: .transportClosed) }
        for consumer in consumers.values { consumer.closeOnLoop(reason: .transportClosed) }
        producers.removeAll()
        consumers.removeAll()
        consumersBySsrc.removeAll()
        closeDataChannels()
        closeResources()
        if reason != .explicit { eventSink.yield(.closed(reason)) }
        eventSink.finish()
        router.transportClosed(self)
    }

    func producerClosed(_ producer: Producer) {
        producers[producer.id] = nil
        rtpListener.remove(producer)
        // Its SSRCs were sent on too: the feedback (PLI, FIR) for them goes out under them.
        srtpStreamsEnded(sent: producer.receivedSsrcs, received: producer.receivedSsrcs)
    }

    func consumerClosed(_ consumer: Consumer) {
        consumers[consumer.id] = nil
        for ssrc in consumer.ssrcs { consumersBySsrc[ssrc] = nil }
        srtpStreamsEnded(sent: consumer.ssrcs, received: [])
    }

    /// Subclass hook: the SRTP state of SSRCs no longer sent or received goes with them (as
    /// mediasoup removes it), so consumers and producers coming and going for days leave none.
    func srtpStreamsEnded(sent: [UInt32], received: [UInt32]) {}

    private static func randomCname() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<8).map { _ in alphabet.randomElement()! })
    }
}
