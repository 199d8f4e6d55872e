/// The layer structure named by an encoding's `scalabilityMode` (W3C webrtc-svc), as mediasoup
/// reads it: `L3T3` is three spatial and three temporal layers, `_KEY` marks K-SVC (switching
/// spatial layer needs a key frame), `S2T1` (simulcast-style SVC) parses the same way.
public struct ScalabilityMode: Sendable, Hashable {
    /// 1–99.
    public var spatialLayers: Int
    /// 1–99.
    public var temporalLayers: Int
    /// K-SVC: spatial layers depend on each other only at key frames.
    public var ksvc: Bool

    /// One spatial and one temporal layer: what an absent or unreadable mode means.
    public static let single = ScalabilityMode(spatialLayers: 1, temporalLayers: 1, ksvc: false)

    public init(spatialLayers: Int, temporalLayers: Int, ksvc: Bool) {
        self.spatialLayers = spatialLayers
        self.temporalLayers = temporalLayers
        self.ksvc = ksvc
    }

    /// Reads a mode with mediasoup's pattern `^[LS]([1-9]\d?)T([1-9]\d?)(_KEY)?`: a prefix
    /// match, so trailing text (`L1T3h`) is ignored. Nil or unreadable text gives ``single``.
    public init(parsing string: String?) {
        guard let string, let parsed = Self.parse(Substring(string)) else {
            self = .single
            return
        }
        self = parsed
    }

    private static func parse(_ text: Substring) -> ScalabilityMode? {
        var rest = text
        guard let prefix = rest.popFirst(), prefix == "L" || prefix == "S",
            let spatialLayers = popLayerCount(&rest),
            rest.popFirst() == "T",
            let temporalLayers = popLayerCount(&rest)
        else { return nil }
        return ScalabilityMode(
            spatialLayers: spatialLayers, temporalLayers: temporalLayers, ksvc: rest.hasPrefix("_KEY"))
    }

    /// `[1-9]\d?`, greedy.
    private static func popLayerCount(_ text: inout Substring) -> Int? {
        guard let first = text.first, let leading = first.wholeNumberValue, first.isASCII, leading > 0 else {
            return nil
        }
        text.removeFirst()
        guard let second = text.first, second.isASCII, let trailing = second.wholeNumberValue else { return leading }
        text.removeFirst()
        return leading * 10 + trailing
    }
}

extension ScalabilityMode: CustomStringConvertible {
    /// `L3T3_KEY`.
    public var description: String { "L\(spatialLayers)T\(temporalLayers)" + (ksvc ? "_KEY" : "") }
}
