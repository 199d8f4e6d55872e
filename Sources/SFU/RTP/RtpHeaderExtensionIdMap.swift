/// A translation table from one endpoint's RTP header extension ids to another's, as used when
/// a producer's packet is forwarded to a consumer that negotiated different ids.
///
/// Every id 0–255 has an entry; an entry of 0 means "drop this extension". A fresh map drops
/// everything, so only the extensions the receiving side negotiated survive a remap — which is
/// what mediasoup does (a consumer never sends extensions it did not negotiate).
///
/// Backed by a 256-entry table so a lookup on the hot path is one indexed load.
public struct RtpHeaderExtensionIdMap: Sendable, Equatable {
    private var table: [UInt8]
    /// No entry is above this (it may be above every entry once entries were lowered): a one-byte
    /// block can be rewritten as one-byte when it is 14 or less.
    private(set) var largestTarget: UInt8 = 0

    /// A map that drops every extension.
    public init() {
        table = [UInt8](repeating: 0, count: 256)
    }

    /// A map with the given `source id → target id` entries; every other id is dropped.
    public init(_ mapping: [UInt8: UInt8]) {
        self.init()
        for (source, target) in mapping { self[source] = target }
    }

    /// A map that keeps every id unchanged.
    public static var identity: RtpHeaderExtensionIdMap {
        var map = RtpHeaderExtensionIdMap()
        for id in 0...UInt8.max { map[id] = id }
        return map
    }

    /// The target id for `id`, 0 when the extension is to be dropped.
    public subscript(id: UInt8) -> UInt8 {
        get { table[Int(id)] }
        set {
            table[Int(id)] = newValue
            largestTarget = max(largestTarget, newValue)
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.table == rhs.table }
}
