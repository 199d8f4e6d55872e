extension Ortc {
    /// mediasoup's `getProducerRtpParametersMapping` (mediasoup-compat §4.7 step 5): maps each
    /// producer codec to the router codec it strictly matches and each encoding to a fresh
    /// router SSRC (a random base, incremented per encoding).
    ///
    /// As in mediasoup, matching rewrites the producer's H264 `profile-level-id` to the
    /// negotiated answer, so `rtpParameters` is updated in place (only when nothing throws).
    ///
    /// - Throws: ``OrtcError/unsupported(_:)`` `unsupported codec [mimeType:…, payloadType:…]`
    ///   when a media codec matches no router codec, or `no RTX codec for capability codec PT n`;
    ///   ``OrtcError/invalid(_:)`` `missing media codec found for RTX PT n` when an RTX codec's
    ///   `apt` names no media codec of the producer.
    public static func producerRtpParametersMapping(
        rtpParameters: inout RtpParameters,
        routerCapabilities: RtpCapabilities,
        using generator: inout some RandomNumberGenerator
    ) throws(OrtcError) -> RtpParametersMapping {
        let capabilityCodecs = (routerCapabilities.codecs ?? []).filter { $0.preferredPayloadType != nil }
        var codecs = rtpParameters.codecs
        var matchedCapabilityCodecs: [Int: RtpCodecCapability] = [:]
        var codecMappings: [RtpParametersMapping.CodecMapping] = []

        for index in codecs.indices where !codecs[index].isRtx {
            let codec = codecs[index]
            guard
                let (capabilityCodec, parameters) = capabilityCodecs.lazy.compactMap({ capabilityCodec in
                    matchedParameters(of: codec, against: capabilityCodec, strict: true).map { (capabilityCodec, $0) }
                }).first,
                let mappedPayloadType = capabilityCodec.preferredPayloadType
            else {
                throw .unsupported("unsupported codec [mimeType:\(codec.mimeType), payloadType:\(codec.payloadType)]")
            }
            codecs[index].parameters = parameters
            matchedCapabilityCodecs[index] = capabilityCodec
            codecMappings.append(.init(payloadType: codec.payloadType, mappedPayloadType: mappedPayloadType))
        }

        for codec in codecs where codec.isRtx {
            guard
                let mediaIndex = codecs.firstIndex(where: {
                    !$0.isRtx && $0.payloadType == codec.associatedPayloadType
                }),
                let mediaPayloadType = matchedCapabilityCodecs[mediaIndex]?.preferredPayloadType
            else {
                throw .invalid("missing media codec found for RTX PT \(codec.payloadType)")
            }
            guard
                let capabilityRtx = capabilityCodecs.first(where: {
                    $0.isRtx && $0.associatedPayloadType == mediaPayloadType
                }),
                let mappedPayloadType = capabilityRtx.preferredPayloadType
            else {
                throw .unsupported("no RTX codec for capability codec PT \(mediaPayloadType)")
            }
            codecMappings.append(.init(payloadType: codec.payloadType, mappedPayloadType: mappedPayloadType))
        }

        let baseSsrc = randomSsrc(using: &generator)
        let encodingMappings = (rtpParameters.encodings ?? []).enumerated().map { offset, encoding in
            RtpParametersMapping.EncodingMapping(
                ssrc: encoding.ssrc, rid: encoding.rid, scalabilityMode: encoding.scalabilityMode,
                mappedSsrc: baseSsrc + UInt32(offset))
        }

        rtpParameters.codecs = codecs
        return RtpParametersMapping(codecs: codecMappings, encodings: encodingMappings)
    }

    /// ``producerRtpParametersMapping(rtpParameters:routerCapabilities:using:)`` with the
    /// system random generator.
    public static func producerRtpParametersMapping(
        rtpParameters: inout RtpParameters, routerCapabilities: RtpCapabilities
    ) throws(OrtcError) -> RtpParametersMapping {
        var generator = SystemRandomNumberGenerator()
        return try producerRtpParametersMapping(
            rtpParameters: &rtpParameters, routerCapabilities: routerCapabilities, using: &generator)
    }

    /// mediasoup's `getConsumableRtpParameters` (mediasoup-compat §4.7 step 6): the canonical
    /// form of a producer's stream inside the router, from which every consumer's parameters
    /// are cut.
    ///
    /// - Codecs: the router codec (mime type, payload type, clock rate, channels, feedback) with
    ///   the producer's parameters, each followed by the router's RTX codec for it.
    /// - Header extensions: the router's of this `kind` that it may send (`sendrecv` or
    ///   `sendonly`), with their preferred ids.
    /// - Encodings: the producer's without `rid`, `rtx` and `codecPayloadType`, with the mapped
    ///   SSRCs; RTCP: the producer's CNAME, reduced size.
    ///
    /// `mapping` must come from ``producerRtpParametersMapping(rtpParameters:routerCapabilities:using:)``
    /// for these parameters and capabilities; codecs and encodings it does not cover are left out.
    public static func consumableRtpParameters(
        kind: MediaKind,
        rtpParameters: RtpParameters,
        routerCapabilities: RtpCapabilities,
        mapping: RtpParametersMapping
    ) -> RtpParameters {
        let capabilityCodecs = routerCapabilities.codecs ?? []
        var codecs: [RtpCodecParameters] = []
        for codec in rtpParameters.codecs where !codec.isRtx {
            guard
                let mappedPayloadType = mapping.codecs.first(where: { $0.payloadType == codec.payloadType })?
                    .mappedPayloadType,
                let capabilityCodec = capabilityCodecs.first(where: { $0.preferredPayloadType == mappedPayloadType })
            else { continue }
            codecs.append(
                RtpCodecParameters(
                    mimeType: capabilityCodec.mimeType, payloadType: mappedPayloadType,
                    clockRate: capabilityCodec.clockRate, channels: capabilityCodec.channels,
                    parameters: codec.parameters, rtcpFeedback: capabilityCodec.rtcpFeedback))
            if let capabilityRtx = capabilityCodecs.first(where: {
                $0.isRtx && $0.associatedPayloadType == mappedPayloadType
            }), let rtxPayloadType = capabilityRtx.preferredPayloadType {
                codecs.append(
                    RtpCodecParameters(
                        mimeType: capabilityRtx.mimeType, payloadType: rtxPayloadType,
                        clockRate: capabilityRtx.clockRate, parameters: capabilityRtx.parameters,
                        rtcpFeedback: capabilityRtx.rtcpFeedback))
            }
        }

        let headerExtensions = (routerCapabilities.headerExtensions ?? [])
            .filter { $0.kind == kind && ($0.direction ?? .sendrecv).allowsSending }
            .map {
                RtpHeaderExtensionParameters(
                    uri: $0.uri, id: $0.preferredId, encrypt: $0.preferredEncrypt ?? false, parameters: [:])
            }

        let encodings = zip(rtpParameters.encodings ?? [], mapping.encodings).map { encoding, encodingMapping in
            var consumable = encoding
            consumable.rid = nil
            consumable.rtx = nil
            consumable.codecPayloadType = nil
            consumable.ssrc = encodingMapping.mappedSsrc
            return consumable
        }

        return RtpParameters(
            codecs: codecs, headerExtensions: headerExtensions, encodings: encodings,
            rtcp: RtcpParameters(cname: rtpParameters.rtcp?.cname, reducedSize: true))
    }
}
