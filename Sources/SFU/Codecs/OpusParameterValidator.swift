/// The fmtp parameters of Opus (RFC 7587 §6.1) and of libwebrtc's multichannel `multiopus`
/// (RFC 7845 §5.1.1 channel mapping family 1, carried as fmtp).
///
/// Called by ``CodecParameterValidator`` once mime type, clock rate and channels are known good.
enum OpusParameterValidator {
    static let mimeType = "audio/opus"
    static let multistreamMimeType = "audio/multiopus"

    /// Opus packets last 2.5 ms to 120 ms.
    static let packetDurationRange: ClosedRange<Double> = 2.5...120

    static func validate(_ parameters: [String: CodecParameterValue], mimeType: String = Self.mimeType) throws(CodecParameterError) {
        for flag in ["useinbandfec", "usedtx", "stereo", "sprop-stereo", "cbr"] {
            try CodecParameterValidator.checkFlag(flag, in: parameters, mimeType: mimeType)
        }
        try CodecParameterValidator.checkInteger("maxplaybackrate", in: parameters, mimeType: mimeType, range: 8000...48000)
        try CodecParameterValidator.checkInteger("sprop-maxcapturerate", in: parameters, mimeType: mimeType, range: 8000...48000)
        try CodecParameterValidator.checkInteger("maxaveragebitrate", in: parameters, mimeType: mimeType, range: 6000...510_000)

        let ptime = try CodecParameterValidator.checkNumber(
            "ptime", in: parameters, mimeType: mimeType, range: packetDurationRange, unit: "milliseconds")
        let minptime = try CodecParameterValidator.checkNumber(
            "minptime", in: parameters, mimeType: mimeType, range: packetDurationRange, unit: "milliseconds")
        let maxptime = try CodecParameterValidator.checkNumber(
            "maxptime", in: parameters, mimeType: mimeType, range: packetDurationRange, unit: "milliseconds")
        let milliseconds = { (value: Double) in CodecParameterValidator.format(value) + " ms" }
        if let minptime, let maxptime, minptime > maxptime {
            throw .inconsistentParameters(
                mimeType: mimeType, reason: "minptime \(milliseconds(minptime)) exceeds maxptime \(milliseconds(maxptime))")
        }
        if let ptime, let maxptime, ptime > maxptime {
            throw .inconsistentParameters(
                mimeType: mimeType, reason: "ptime \(milliseconds(ptime)) exceeds maxptime \(milliseconds(maxptime))")
        }
        if let ptime, let minptime, ptime < minptime {
            throw .inconsistentParameters(
                mimeType: mimeType, reason: "ptime \(milliseconds(ptime)) is below minptime \(milliseconds(minptime))")
        }
    }

    /// `num_streams` N, `coupled_streams` M ≤ N and a `channel_mapping` of one entry per output
    /// channel, each naming a decoded channel below N + M (or 255, silence).
    static func validateMultistream(channels: Int, parameters: [String: CodecParameterValue]) throws(CodecParameterError) {
        let mimeType = multistreamMimeType
        try validate(parameters, mimeType: mimeType)

        let streams = try requiredInteger("num_streams", in: parameters, range: 1...255,
                                          expected: "the number of Opus streams, 1-255")
        let coupled = try requiredInteger("coupled_streams", in: parameters, range: 0...streams,
                                          expected: "the number of stereo streams, 0-num_streams")
        guard streams + coupled <= 255 else {
            throw .inconsistentParameters(mimeType: mimeType,
                                          reason: "num_streams + coupled_streams is \(streams + coupled), at most 255")
        }
        guard let mappingValue = parameters["channel_mapping"] else {
            throw .missingParameter(mimeType: mimeType, name: "channel_mapping",
                                    expected: "\(channels) comma-separated decoded channel indexes")
        }
        let entries = mappingValue.stringValue.split(separator: ",", omittingEmptySubsequences: false)
        let decodedChannels = streams + coupled
        let isValidEntry = { (entry: Substring) -> Bool in
            guard let index = Int(entry.filter { $0 != " " }) else { return false }
            return (0..<decodedChannels).contains(index) || index == 255
        }
        guard entries.count == channels, entries.allSatisfy(isValidEntry) else {
            throw .invalidParameter(
                mimeType: mimeType, name: "channel_mapping", value: mappingValue,
                expected: "\(channels) comma-separated indexes, each below \(decodedChannels) or 255")
        }
    }

    private static func requiredInteger(
        _ name: String, in parameters: [String: CodecParameterValue], range: ClosedRange<Int>, expected: String
    ) throws(CodecParameterError) -> Int {
        guard let value = parameters[name] else {
            throw .missingParameter(mimeType: multistreamMimeType, name: name, expected: expected)
        }
        guard let integer = value.integerValue, range.contains(integer) else {
            throw .invalidParameter(mimeType: multistreamMimeType, name: name, value: value, expected: expected)
        }
        return integer
    }
}
