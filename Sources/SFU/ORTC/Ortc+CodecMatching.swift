extension Ortc {
    /// mediasoup's `matchCodecs`: same mime type (case-insensitive), clock rate and channels;
    /// multiopus also the same `num_streams` and `coupled_streams`. In strict mode H264 (and
    /// H264-SVC) must also agree on `packetization-mode` (absent = 0) and profile, with an
    /// answer `profile-level-id` computable; VP9 on `profile-id` (absent = 0).
    ///
    /// Non-strict matching picks the supported codec for a configured media codec; strict
    /// matching compares producers' codecs with the router's and the router's with endpoints'.
    public static func matchCodecs(_ a: some RtpCodec, _ b: some RtpCodec, strict: Bool) -> Bool {
        matchedParameters(of: a, against: b, strict: strict) != nil
    }

    /// `a`'s parameters when `a` matches `b`, nil otherwise. After a strict H264 match the
    /// `profile-level-id` is the negotiated answer (RFC 6184 §8.2.2, `a` as the local side), or
    /// absent when neither names one: mediasoup's "modify" mode, applied to producers' codecs.
    static func matchedParameters(
        of a: some RtpCodec, against b: some RtpCodec, strict: Bool
    ) -> [String: CodecParameterValue]? {
        let mimeType = a.mimeType.lowercased()
        guard mimeType == b.mimeType.lowercased(), a.clockRate == b.clockRate, a.channels == b.channels else {
            return nil
        }
        switch mimeType {
        case "audio/multiopus":
            guard sameValue(a.parameters["num_streams"], b.parameters["num_streams"]),
                sameValue(a.parameters["coupled_streams"], b.parameters["coupled_streams"])
            else { return nil }
        case "video/h264", "video/h264-svc":
            guard strict else { break }
            return negotiatedH264Parameters(of: a, against: b)
        case "video/vp9":
            guard strict else { break }
            guard sameValue(a.parameters["profile-id"], b.parameters["profile-id"], absent: 0) else { return nil }
        default:
            break
        }
        return a.parameters
    }

    private static func negotiatedH264Parameters(
        of a: some RtpCodec, against b: some RtpCodec
    ) -> [String: CodecParameterValue]? {
        guard sameValue(a.parameters["packetization-mode"], b.parameters["packetization-mode"], absent: 0),
            H264ProfileLevelId.isSameProfile(a.parameters, b.parameters)
        else { return nil }
        let answer: H264ProfileLevelId?
        do {
            answer = try H264ProfileLevelId.answer(localParameters: a.parameters, remoteParameters: b.parameters)
        } catch {
            return nil
        }
        var parameters = a.parameters
        parameters[H264ProfileLevelId.parameterName] = answer?.string.map(CodecParameterValue.string)
        return parameters
    }

    /// Parameter equality that does not care whether a client sent `1` or `"1"`; `absent` is the
    /// value a missing parameter stands for.
    private static func sameValue(
        _ lhs: CodecParameterValue?, _ rhs: CodecParameterValue?, absent: CodecParameterValue? = nil
    ) -> Bool {
        switch (lhs ?? absent, rhs ?? absent) {
        case (nil, nil):
            return true
        case (let left?, let right?):
            if let leftInteger = left.integerValue, let rightInteger = right.integerValue {
                return leftInteger == rightInteger
            }
            return left.stringValue == right.stringValue
        default:
            return false
        }
    }
}
