/// A fast, non-cryptographic generator (SplitMix64) seeded from the system's: what the
/// transaction IDs of Data indications are drawn from. They only help debugging (RFC 8489 §5),
/// and the system generator costs a system call per draw, on every packet relayed that way.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
