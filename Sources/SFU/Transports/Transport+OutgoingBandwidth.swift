import NIOCore

/// The outgoing bandwidth estimate (mediasoup's TransportCongestionControlClient and
/// `DistributeAvailableOutgoingBitrate`): once a video consumer negotiated transport-cc, every
/// video packet sent gets a transport-wide sequence number, the receiver's feedback drives the
/// estimate, probes of RTX padding find out whether more is available, and the estimate is
/// shared among the consumers by priority, each simulcast consumer taking the highest encoding
/// and VP8 temporal layer it leaves room for, each SVC consumer the highest spatial and
/// temporal layers.
extension Transport {
    /// Starts the estimate for `consumer` if it is the first one to take part.
    func startOutgoingBandwidthIfNeeded(for consumer: Consumer) {
        guard consumer.transportCcExtensionId != nil, outgoingBandwidth == nil, !outgoingBandwidthStopped else { return }
        outgoingBandwidth = OutgoingBandwidth()
        outgoingBandwidth?.estimator.setMaxBitrate(maxOutgoingBitrate)
    }

    /// Numbers `packet` in the transport-wide sequence and notes it for the estimate.
    func numberForBandwidthEstimate(
        _ packet: inout RtpPacket, extensionId: UInt8, probeClusterId: Int?, now: NIODeadline
    ) {
        guard let bandwidth = outgoingBandwidth else { return }
        if bandwidth.firstPacketTime == nil { bandwidth.firstPacketTime = now }
        let sequenceNumber = bandwidth.estimator.packetSent(
            size: packet.size, probeClusterId: probeClusterId, now: Self.microseconds(now))
        try? packet.setTransportWideSequenceNumber(sequenceNumber, extensionId: extensionId)
        if probeClusterId != nil { bandwidth.probationSent(bytes: packet.size, now: now) }
    }

    func receiveTransportCcFeedback(_ feedback: TransportWideCcFeedback, now: NIODeadline) {
        guard let bandwidth = outgoingBandwidth else { return }
        bandwidth.estimator.receiveFeedback(feedback, now: Self.microseconds(now))
        if bandwidth.reportDue(now: now) { shareOutgoingBandwidth(now: now) }
    }

    /// Periodic work: the report and sharing when due, and a probe when one is due.
    func outgoingBandwidthTick(now: NIODeadline) {
        guard let bandwidth = outgoingBandwidth, isMediaReady else { return }
        if bandwidth.receiverIsSilent(now: now) {
            stopOutgoingBandwidth(now: now)
            return
        }
        if bandwidth.reportDue(now: now) { shareOutgoingBandwidth(now: now) }
        // Without feedback yet a probe could measure nothing.
        guard bandwidth.probe == nil, bandwidth.estimator.hasFeedback, probingConsumer != nil,
            let cluster = bandwidth.estimator.probe(desiredBitrate: bandwidth.desiredBitrate, now: Self.microseconds(now))
        else { return }
        bandwidth.probe = (cluster, now, 0)
        bandwidth.probeTask = eventLoop.scheduleRepeatedTask(
            initialDelay: .zero, delay: OutgoingBandwidth.probeSlot
        ) { [weak self] task in
            guard let self, !self.isClosed, self.sendProbeSlot(now: .now()) else {
                task.cancel()
                return
            }
        }
    }

    /// Drops the estimate of a receiver that sends no feedback: its consumers are no longer
    /// limited, and packets no longer numbered.
    private func stopOutgoingBandwidth(now: NIODeadline) {
        outgoingBandwidth?.probeTask?.cancel()
        outgoingBandwidth = nil
        outgoingBandwidthStopped = true
        logger.info(
            "no transport-cc feedback from the receiver: outgoing bandwidth estimate off",
            metadata: ["transportId": "\(id)"])
        for consumer in consumers.values { consumer.liftBandwidthLimit(now: now) }
    }

    /// Caps the outgoing estimate, in bits per second (mediasoup's `setMaxOutgoingBitrate`); 0
    /// lifts the cap.
    public func setMaxOutgoingBitrate(_ bitrate: Int) async throws {
        guard bitrate == 0 || bitrate >= SendSideBandwidthEstimator.minimumBitrate else {
            throw EngineError.invalidArgument(
                "bitrate must be >= \(SendSideBandwidthEstimator.minimumBitrate) or 0 (unlimited)")
        }
        try await worker.onLoop { [self] in
            guard !isClosed else { throw EngineError.closed("transport") }
            maxOutgoingBitrate = bitrate
            outgoingBandwidth?.estimator.setMaxBitrate(bitrate)
        }
    }

    /// Adds the estimate and the probes sent to `stats`.
    func addOutgoingBandwidthStats(to stats: inout TransportStats, now: NIODeadline) {
        stats.maxOutgoingBitrate = maxOutgoingBitrate == 0 ? nil : maxOutgoingBitrate
        guard let outgoingBandwidth else { return }
        stats.availableOutgoingBitrate = outgoingBandwidth.estimator.availableBitrate
        stats.probationBytesSent = outgoingBandwidth.probationBytesSent
        stats.probationSendBitrate = outgoingBandwidth.probationBitrate(now: now)
    }

    /// Sends the padding of the current probe cluster due by `now`; false once the cluster is over.
    private func sendProbeSlot(now: NIODeadline) -> Bool {
        guard let bandwidth = outgoingBandwidth, let probe = bandwidth.probe else { return false }
        let elapsed = (now - probe.start).nanoseconds / 1000
        guard elapsed < ProbeCluster.duration, let consumer = probingConsumer,
            let extensionId = consumer.transportCcExtensionId
        else {
            bandwidth.probe = nil
            bandwidth.probeTask = nil
            return false
        }
        // Due by the end of this slot, so the cluster's last slot completes it.
        let slotEnd = elapsed + OutgoingBandwidth.probeSlot.nanoseconds / 1000
        let due = Int(probe.cluster.bitrate / 8 * Double(min(slotEnd, ProbeCluster.duration)) / 1_000_000) - probe.sentBytes
        guard due > 0 else { return true }
        let sentBefore = bandwidth.probationBytesSent
        for packet in consumer.probePaddingPackets(bytes: due) {
            sendRtp(
                packet, isRetransmission: true, transportCcExtensionId: extensionId, probeClusterId: probe.cluster.id,
                now: now)
        }
        bandwidth.probe?.sentBytes += max(bandwidth.probationBytesSent - sentBefore, due)
        return true
    }

    /// The consumer whose RTX stream carries probes: an active video consumer in the estimate.
    private var probingConsumer: Consumer? {
        consumers.values.first { $0.takesPartInBandwidthAllocation && $0.rtpParameters.encodings?.first?.rtx != nil }
    }

    private func desiredOutgoingBitrate(now: NIODeadline) -> Int {
        consumers.values.filter(\.takesPartInBandwidthAllocation).reduce(0) { sum, consumer in
            let (total, overflow) = sum.addingReportingOverflow(consumer.desiredBitrate(now: now))
            return overflow ? .max : total
        }
    }

    /// Shares the estimate among the consumers and reports it: consumers by priority, highest
    /// first; every simulcast or SVC consumer gets its cheapest layer (even when that does not
    /// fit), then each in turn (`priority` steps a round) moves one step up its ladder of
    /// encodings (spatial layers) and temporal layers while what is left pays for it (85% of it for a layer it already
    /// has). Plain video consumers take what their producer sends.
    private func shareOutgoingBandwidth(now: NIODeadline) {
        guard let available = outgoingBandwidth?.estimator.availableBitrate else { return }
        var remaining = available
        let participants = consumers.values.filter(\.takesPartInBandwidthAllocation).sorted { $0.priority > $1.priority }
        var layered: [(consumer: Consumer, ladder: [BandwidthLayer], granted: Int)] = []
        for consumer in participants {
            let ladder = consumer.bandwidthLayers(now: now)
            guard let cheapest = ladder.first else { continue }
            remaining -= cheapest.bitrate
            if consumer.selectsLayersByBandwidth { layered.append((consumer, ladder, 0)) }
        }
        var moved = true
        while moved, remaining > 0 {
            moved = false
            for index in layered.indices {
                for _ in 0..<layered[index].consumer.priority {
                    let (consumer, ladder, granted) = layered[index]
                    guard granted + 1 < ladder.count else { break }
                    let cost = ladder[granted + 1].bitrate - ladder[granted].bitrate
                    // Keeping a layer takes less room than gaining it, so that a layer whose
                    // bitrate varies around what is left is not dropped and taken back every
                    // second.
                    let needed = consumer.hasBandwidth(for: ladder[granted + 1]) ? cost * 85 / 100 : cost
                    guard needed <= remaining else { break }
                    remaining -= cost
                    layered[index].granted = granted + 1
                    moved = true
                }
            }
        }
        // A consumer that got all it prefers is not limited: a higher preference later needs no
        // wait for the next sharing.
        for (consumer, ladder, granted) in layered {
            consumer.setBandwidthLimit(granted == ladder.count - 1 ? nil : ladder[granted], now: now)
        }
        logger.trace(
            "outgoing bandwidth shared",
            metadata: ["transportId": "\(id)", "available": "\(available)", "left": "\(remaining)"])
        guard let trace = outgoingBandwidth?.report(desiredBitrate: desiredOutgoingBitrate(now: now), now: now),
            traceEventTypes.contains(.bwe)
        else { return }
        eventSink.yield(.outgoingBandwidth(trace))
    }

    static func microseconds(_ time: NIODeadline) -> Int64 {
        Int64(time.uptimeNanoseconds / 1000)
    }
}
