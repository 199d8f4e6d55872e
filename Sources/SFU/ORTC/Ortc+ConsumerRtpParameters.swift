extension Ortc {
    /// mediasoup's `canConsume`: true when the first of the producer's consumable codecs that
    /// strictly matches an endpoint codec is a media codec. Capabilities that fail validation
    /// cannot consume anything (mediasoup's `router.canConsume()` reports those as false too).
    public static func canConsume(consumableParameters: RtpParameters, capabilities: RtpCapabilities) -> Bool {
        var capabilities = capabilities
        do {
            try capabilities.validate()
        } catch {
            return false
        }
        let capabilityCodecs = capabilities.codecs ?? []
        let firstMatch = consumableParameters.codecs.first { codec in
            capabilityCodecs.contains { matchCodecs($0, codec, strict: true) }
        }
        return firstMatch.map { !$0.isRtx } ?? false
    }

    /// mediasoup's `getConsumerRtpParameters` (mediasoup-compat §4.8): the parameters one
    /// consumer sends with, for an endpoint with `remoteCapabilities`.
    ///
    /// 1. Codecs: consumable codecs strictly matching an endpoint codec (RTX only when
    ///    `enableRtx`), with the endpoint codec's feedback, minus plain `nack` without RTX.
    /// 2. RTX codecs whose media codec was dropped are dropped.
    /// 3. Header extensions: those whose `(id, uri)` the endpoint lists as `(preferredId, uri)`.
    /// 4. Feedback for bandwidth estimation follows the extensions: transport-cc negotiated →
    ///    no `goog-remb`; else abs-send-time → no `transport-cc`; else neither.
    /// 5. Encodings: non-pipe, one encoding with a random SSRC (RTX SSRC + 1), the producer's
    ///    scalability mode (simulcast rewritten to `L<encodings>T<temporal layers>`) and the
    ///    highest `maxBitrate`; pipe, every encoding with consecutive random SSRCs.
    ///
    /// - Throws: ``OrtcError/invalid(_:)`` for malformed capabilities;
    ///   ``OrtcError/unsupported(_:)`` `no compatible media codecs`.
    public static func consumerRtpParameters(
        consumableParameters: RtpParameters,
        remoteCapabilities: RtpCapabilities,
        pipe: Bool,
        enableRtx: Bool,
        using generator: inout some RandomNumberGenerator
    ) throws(OrtcError) -> RtpParameters {
        var remoteCapabilities = remoteCapabilities
        try remoteCapabilities.validate()
        let remoteCodecs = remoteCapabilities.codecs ?? []
        let remoteExtensions = remoteCapabilities.headerExtensions ?? []

        var codecs: [RtpCodecParameters] = consumableParameters.codecs.compactMap { codec in
            guard enableRtx || !codec.isRtx,
                let remoteCodec = remoteCodecs.first(where: { matchCodecs($0, codec, strict: true) })
            else { return nil }
            var consumerCodec = codec
            consumerCodec.rtcpFeedback = remoteCodec.rtcpFeedback.filter { enableRtx || !$0.isGenericNack }
            return consumerCodec
        }
        let keptPayloadTypes = Set(codecs.map(\.payloadType))
        codecs.removeAll { codec in
            guard codec.isRtx else { return false }
            return codec.associatedPayloadType.map { !keptPayloadTypes.contains($0) } ?? true
        }
        let rtxSupported = codecs.contains { $0.isRtx }
        guard let firstCodec = codecs.first, !firstCodec.isRtx else {
            throw .unsupported("no compatible media codecs")
        }

        let headerExtensions = (consumableParameters.headerExtensions ?? []).filter { ext in
            remoteExtensions.contains { $0.preferredId == ext.id && $0.uri == ext.uri }
        }
        let negotiatedUris = Set(headerExtensions.map(\.uri))
        let droppedFeedback: Set<String>
        if negotiatedUris.contains(RtpHeaderExtensionUri.transportWideCc01.rawValue) {
            droppedFeedback = [RtcpFeedback.googRemb.type]
        } else if negotiatedUris.contains(RtpHeaderExtensionUri.absSendTime.rawValue) {
            droppedFeedback = [RtcpFeedback.transportCc.type]
        } else {
            droppedFeedback = [RtcpFeedback.googRemb.type, RtcpFeedback.transportCc.type]
        }
        for index in codecs.indices {
            codecs[index].rtcpFeedback.removeAll { droppedFeedback.contains($0.type) }
        }

        let consumableEncodings = consumableParameters.encodings ?? []
        let encodings: [RtpEncodingParameters]
        if pipe {
            encodings = pipeEncodings(consumableEncodings, withRtx: rtxSupported, using: &generator)
        } else {
            let ssrc = randomSsrc(using: &generator)
            var encoding = RtpEncodingParameters(ssrc: ssrc, rtx: rtxSupported ? .init(ssrc: ssrc + 1) : nil)
            encoding.scalabilityMode = consumerScalabilityMode(of: consumableEncodings)
            encoding.maxBitrate = consumableEncodings.compactMap(\.maxBitrate).max()
            encodings = [encoding]
        }

        return RtpParameters(
            codecs: codecs, headerExtensions: headerExtensions, encodings: encodings, rtcp: consumableParameters.rtcp)
    }

    /// ``consumerRtpParameters(consumableParameters:remoteCapabilities:pipe:enableRtx:using:)``
    /// with the system random generator.
    public static func consumerRtpParameters(
        consumableParameters: RtpParameters, remoteCapabilities: RtpCapabilities, pipe: Bool, enableRtx: Bool
    ) throws(OrtcError) -> RtpParameters {
        var generator = SystemRandomNumberGenerator()
        return try consumerRtpParameters(
            consumableParameters: consumableParameters, remoteCapabilities: remoteCapabilities, pipe: pipe,
            enableRtx: enableRtx, using: &generator)
    }

    /// mediasoup's `getPipeConsumerRtpParameters`: the parameters a consumer on a pipe
    /// transport sends with towards another router, which re-produces the stream as is.
    ///
    /// Keeps every codec (RTX only when `enableRtx`) with feedback reduced to `nack pli`,
    /// `ccm fir` and, with RTX, `nack`; drops the MID and bandwidth-estimation header
    /// extensions (`mid`, abs-send-time, transport-cc); keeps every encoding with consecutive
    /// random SSRCs (and RTX SSRCs when `enableRtx`).
    public static func pipeConsumerRtpParameters(
        consumableParameters: RtpParameters,
        enableRtx: Bool,
        using generator: inout some RandomNumberGenerator
    ) -> RtpParameters {
        let keptFeedback: Set<RtcpFeedback> = enableRtx ? [.nackPli, .ccmFir, .nack] : [.nackPli, .ccmFir]
        let codecs: [RtpCodecParameters] = consumableParameters.codecs.compactMap { codec in
            guard enableRtx || !codec.isRtx else { return nil }
            var pipeCodec = codec
            pipeCodec.rtcpFeedback = codec.rtcpFeedback.filter {
                keptFeedback.contains(RtcpFeedback(type: $0.type, parameter: $0.parameter ?? ""))
            }
            return pipeCodec
        }
        let droppedUris: Set<String> = [
            RtpHeaderExtensionUri.mid.rawValue, RtpHeaderExtensionUri.absSendTime.rawValue,
            RtpHeaderExtensionUri.transportWideCc01.rawValue,
        ]
        let headerExtensions = (consumableParameters.headerExtensions ?? []).filter { !droppedUris.contains($0.uri) }
        let encodings = pipeEncodings(consumableParameters.encodings ?? [], withRtx: enableRtx, using: &generator)
        return RtpParameters(
            codecs: codecs, headerExtensions: headerExtensions, encodings: encodings, rtcp: consumableParameters.rtcp)
    }

    /// ``pipeConsumerRtpParameters(consumableParameters:enableRtx:using:)`` with the system
    /// random generator.
    public static func pipeConsumerRtpParameters(
        consumableParameters: RtpParameters, enableRtx: Bool
    ) -> RtpParameters {
        var generator = SystemRandomNumberGenerator()
        return pipeConsumerRtpParameters(
            consumableParameters: consumableParameters, enableRtx: enableRtx, using: &generator)
    }

    /// Every consumable encoding with SSRC `base + index` and, with RTX, RTX SSRC
    /// `rtxBase + index`, both bases random.
    private static func pipeEncodings(
        _ consumableEncodings: [RtpEncodingParameters], withRtx: Bool, using generator: inout some RandomNumberGenerator
    ) -> [RtpEncodingParameters] {
        let baseSsrc = randomSsrc(using: &generator)
        let baseRtxSsrc = randomSsrc(using: &generator)
        return consumableEncodings.enumerated().map { offset, consumable in
            var encoding = consumable
            encoding.ssrc = baseSsrc + UInt32(offset)
            encoding.rtx = withRtx ? .init(ssrc: baseRtxSsrc + UInt32(offset)) : nil
            return encoding
        }
    }

    /// The first scalability mode among the producer's encodings; with simulcast the spatial
    /// layers are the encodings, so it becomes `L<encodings>T<temporal layers of that mode>`.
    private static func consumerScalabilityMode(of consumableEncodings: [RtpEncodingParameters]) -> String? {
        let scalabilityMode = consumableEncodings.lazy.compactMap(\.scalabilityMode).first
        guard consumableEncodings.count > 1 else { return scalabilityMode }
        let temporalLayers = ScalabilityMode(parsing: scalabilityMode).temporalLayers
        return ScalabilityMode(spatialLayers: consumableEncodings.count, temporalLayers: temporalLayers, ksvc: false)
            .description
    }
}
