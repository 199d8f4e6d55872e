/// The ORTC rules of mediasoup's `ortc.ts`: how routers derive their capabilities from
/// configured media codecs, how producers' parameters are checked and mapped onto the router's
/// payload types and SSRCs, and how each consumer's parameters are cut from that canonical form
/// for one remote endpoint (mediasoup-compat §4.4–§4.9).
///
/// Everything here is a pure function of its arguments; SSRCs are drawn from the generator
/// passed in (the system generator when none is), so tests can replay them.
public enum Ortc {
    /// SSRCs the router invents (mapped producer SSRCs, consumer SSRCs) come from this range, as
    /// mediasoup's `generateRandomNumber`; its ceiling leaves room for `base + encoding index`
    /// and `ssrc + 1` (RTX) without wrapping.
    static let randomSsrcRange: ClosedRange<UInt32> = 100_000_000...999_999_999

    static func randomSsrc(using generator: inout some RandomNumberGenerator) -> UInt32 {
        UInt32.random(in: randomSsrcRange, using: &generator)
    }
}
