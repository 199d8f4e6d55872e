/// Candidates and priorities from listen infos, as mediasoup's WebRtcTransport and
/// WebRtcServer compute them (spec §4.12).
extension IceCandidate {
    /// Local preference of the first listen info; each later one gets 100 less, so the peer
    /// tries the sockets in the order the application listed them.
    public static let defaultLocalPreference = 10_000
    /// Step between consecutive listen infos.
    public static let localPreferenceDecrement = 100
    /// Added to the preferred protocol's candidates of a WebRtcServer (`preferUdp`/`preferTcp`).
    public static let preferredProtocolIncrement = 1_000

    /// RFC 8445 §5.1.2.1 priority of a host candidate for component 1 (RTP and RTCP are
    /// multiplexed): `2^24 × 64 + 2^8 × localPreference + (256 − 1)`.
    ///
    /// `localPreference` is clamped to 0...65535, the 16 bits the formula gives it.
    public static func priority(localPreference: Int) -> UInt32 {
        let typePreference: UInt32 = 64
        let component: UInt32 = 1
        let local = UInt32(min(max(localPreference, 0), Int(UInt16.max)))
        return typePreference << 24 + local << 8 + (256 - component)
    }

    /// The candidates of a WebRtcTransport that listens on its own sockets (`listenInfos`):
    /// one per source, in order, local preference 10000, 9900, 9800…
    ///
    /// mediasoup applies no protocol preference here: the order of `listenInfos` is the
    /// preference (its Node layer builds that order from `preferUdp`/`preferTcp` when it
    /// converts the deprecated `listenIps`).
    public static func candidates(listenInfos: [IceCandidateSource]) -> [IceCandidate] {
        listenInfos.enumerated().map { index, source in
            IceCandidate(
                source: source,
                priority: priority(localPreference: defaultLocalPreference - index * localPreferenceDecrement))
        }
    }

    /// The candidates a WebRtcTransport gets from a WebRtcServer listening on `listenInfos`,
    /// as mediasoup's `WebRtcServer::GetIceCandidates` builds them.
    ///
    /// Sources of a disabled protocol give no candidate but still take their place in the
    /// local preference sequence, so a candidate's priority does not depend on which protocols
    /// a transport enabled. The preferred protocol's candidates get +1000.
    public static func candidates(
        webRtcServerListenInfos listenInfos: [IceCandidateSource],
        enableUdp: Bool = true, enableTcp: Bool = true, preferUdp: Bool = false, preferTcp: Bool = false
    ) -> [IceCandidate] {
        listenInfos.enumerated().compactMap { index, source in
            let enabled: Bool
            let preferred: Bool
            switch source.transportProtocol {
            case .udp: (enabled, preferred) = (enableUdp, preferUdp)
            case .tcp: (enabled, preferred) = (enableTcp, preferTcp)
            }
            guard enabled else { return nil }
            let localPreference =
                defaultLocalPreference - index * localPreferenceDecrement + (preferred ? preferredProtocolIncrement : 0)
            return IceCandidate(source: source, priority: priority(localPreference: localPreference))
        }
    }
}
