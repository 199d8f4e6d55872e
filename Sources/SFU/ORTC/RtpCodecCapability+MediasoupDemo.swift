extension RtpCodecCapability {
    /// mediasoup-demo's router `mediaCodecs` (`config.example.js`, mediasoup-compat §4.5). With
    /// them the router offers opus 100, VP8 101/rtx 102, VP9 103/104 and H264 105/106 and
    /// 107/108, which existing broadcaster scripts and clients rely on.
    public static let mediasoupDemoCodecs: [RtpCodecCapability] = [
        RtpCodecCapability(kind: .audio, mimeType: "audio/opus", clockRate: 48000, channels: 2),
        RtpCodecCapability(
            kind: .video, mimeType: "video/VP8", clockRate: 90000, parameters: ["x-google-start-bitrate": 1000]),
        RtpCodecCapability(
            kind: .video, mimeType: "video/VP9", clockRate: 90000,
            parameters: ["profile-id": 2, "x-google-start-bitrate": 1000]),
        RtpCodecCapability(
            kind: .video, mimeType: "video/h264", clockRate: 90000,
            parameters: [
                "packetization-mode": 1, "profile-level-id": "4d0032", "level-asymmetry-allowed": 1,
                "x-google-start-bitrate": 1000,
            ]),
        RtpCodecCapability(
            kind: .video, mimeType: "video/h264", clockRate: 90000,
            parameters: [
                "packetization-mode": 1, "profile-level-id": "42e01f", "level-asymmetry-allowed": 1,
                "x-google-start-bitrate": 1000,
            ]),
    ]
}
