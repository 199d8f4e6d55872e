/// The RTP header extension URIs mediasoup knows (its `supportedRtpCapabilities` list), with the
/// exact strings that appear in SDP `a=extmap` lines and in `RtpParameters.headerExtensions`.
public enum RtpHeaderExtensionUri: String, Sendable, CaseIterable, Codable {
    /// RFC 9143 media identification (BUNDLE demultiplexing).
    case mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
    /// RFC 8852 RtpStreamId: the simulcast encoding a packet belongs to.
    case rtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    /// RFC 8852 RepairedRtpStreamId: the encoding an RTX packet repairs.
    case repairedRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    /// Sender's send time, 24-bit 6.18 fixed-point seconds (REMB-based bandwidth estimation).
    case absSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    /// Transport-wide sequence number feeding transport-cc feedback.
    case transportWideCc01 = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    /// Frame marking, draft 07 URI.
    case frameMarking07 = "http://tools.ietf.org/html/draft-ietf-avtext-framemarking-07"
    /// Frame marking, RFC URI.
    case frameMarking = "urn:ietf:params:rtp-hdrext:framemarking"
    /// RFC 6464 client-to-mixer audio level.
    case ssrcAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    /// 3GPP TS 26.114 coordination of video orientation.
    case videoOrientation = "urn:3gpp:video-orientation"
    /// RFC 5450 transmission time offset.
    case toffset = "urn:ietf:params:rtp-hdrext:toffset"
    /// Capture time of the first sample, in the sender's NTP clock.
    case absCaptureTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time"
    /// Minimum/maximum playout delay hint for the receiver's jitter buffer.
    case playoutDelay = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"
}
