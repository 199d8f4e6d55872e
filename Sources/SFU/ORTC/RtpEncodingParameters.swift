/// One encoding (simulcast layer or single stream) of an RTP stream (mediasoup's
/// `RtpEncodingParameters`).
public struct RtpEncodingParameters: Sendable, Hashable, Codable {
    /// The retransmission stream paired with an encoding.
    public struct Rtx: Sendable, Hashable, Codable {
        public var ssrc: UInt32

        public init(ssrc: UInt32) {
            self.ssrc = ssrc
        }
    }

    public var ssrc: UInt32?
    /// RtpStreamId (RFC 8852) used when SSRCs are not signalled.
    public var rid: String?
    /// The media codec of this encoding; the first media codec when absent.
    public var codecPayloadType: Int?
    public var rtx: Rtx?
    /// Discontinuous transmission (Opus); validation defaults it to false.
    public var dtx: Bool?
    /// `L1T3`, `L3T3_KEY`, `S3T3`…; see ``ScalabilityMode``.
    public var scalabilityMode: String?
    public var scaleResolutionDownBy: Double?
    /// Bits per second.
    public var maxBitrate: Int?
    /// Frames per second.
    public var maxFramerate: Double?

    public init(
        ssrc: UInt32? = nil, rid: String? = nil, codecPayloadType: Int? = nil, rtx: Rtx? = nil, dtx: Bool? = nil,
        scalabilityMode: String? = nil, scaleResolutionDownBy: Double? = nil, maxBitrate: Int? = nil,
        maxFramerate: Double? = nil
    ) {
        self.ssrc = ssrc
        self.rid = rid
        self.codecPayloadType = codecPayloadType
        self.rtx = rtx
        self.dtx = dtx
        self.scalabilityMode = scalabilityMode
        self.scaleResolutionDownBy = scaleResolutionDownBy
        self.maxBitrate = maxBitrate
        self.maxFramerate = maxFramerate
    }

    /// mediasoup's `validateRtpEncodingParameters`: `dtx` false when absent; throws on an
    /// empty rid, a non-positive bitrate, frame rate or down-scaling factor, or a bitrate
    /// beyond 32 bits.
    public mutating func validate() throws(OrtcError) {
        if let rid, rid.isEmpty { throw .invalid("invalid encoding.rid") }
        // mediasoup keeps bitrates in 32 bits; beyond, sums of them would overflow.
        if let maxBitrate, maxBitrate <= 0 || maxBitrate > UInt32.max {
            throw .invalid("invalid encoding.maxBitrate [maxBitrate:\(maxBitrate)]")
        }
        if let maxFramerate, !(maxFramerate > 0) {
            throw .invalid("invalid encoding.maxFramerate [maxFramerate:\(maxFramerate)]")
        }
        if let scaleResolutionDownBy, !(scaleResolutionDownBy >= 1) {
            throw .invalid("invalid encoding.scaleResolutionDownBy [scaleResolutionDownBy:\(scaleResolutionDownBy)]")
        }
        if dtx == nil { dtx = false }
    }
}
