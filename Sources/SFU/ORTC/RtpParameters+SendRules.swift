extension RtpParameters {
    /// The most encodings a producer may send.
    static let maximumEncodingCount = 16

    /// Validates parameters an endpoint sends with, as `transport.produce()` does: everything
    /// ``validate()`` checks, at least one media codec, and the rules that let the router tell
    /// the streams apart (mediasoup-compat §4.2):
    /// - several encodings: each has an `ssrc` or a `rid`;
    /// - one encoding: `mid` or that encoding's `ssrc` is present;
    /// - no encodings: `mid` is present.
    ///
    /// Absent or empty `encodings` then become one empty encoding, as mediasoup does.
    public mutating func validateForProducer() throws(OrtcError) {
        var parameters = self
        try parameters.validate()
        guard parameters.codecs.contains(where: { !$0.isRtx }) else {
            throw .invalid("missing params.codecs: no media codec")
        }
        let encodings = parameters.encodings ?? []
        // Every encoding gets streams, rate meters and, through pipes, more streams: a producer
        // may not ask for thousands (browsers send at most four).
        guard encodings.count <= Self.maximumEncodingCount else {
            throw .invalid("too many params.encodings: \(encodings.count), at most \(Self.maximumEncodingCount)")
        }
        switch encodings.count {
        case 0:
            guard parameters.mid != nil else {
                throw .invalid("missing params.mid: required when params.encodings is empty")
            }
            parameters.encodings = [RtpEncodingParameters(dtx: false)]
        case 1:
            guard parameters.mid != nil || encodings[0].ssrc != nil else {
                throw .invalid("missing params.mid or encoding.ssrc: one of them is required with a single encoding")
            }
        default:
            guard encodings.allSatisfy({ $0.ssrc != nil || $0.rid != nil }) else {
                throw .invalid("missing encoding.ssrc or encoding.rid: required in each of several encodings")
            }
        }
        self = parameters
    }
}
