/// The replay list of RFC 3711 §3.3.2: the highest index accepted so far and which of the
/// `size` indices ending there were accepted.
///
/// Semantics follow libsrtp (`srtp_rdbx_*` for SRTP, `srtp_rdb_*` for SRTCP) so both backends
/// accept and reject the same packets: an index above the highest is fresh; an index at least
/// `size` below the highest is too old; in between, it is fresh unless already accepted. The
/// highest index starts at 0 with nothing accepted, as libsrtp's does.
///
/// The bitmap is circular (index `i` lives at bit `i mod size`), so advancing by one packet
/// clears one bit instead of shifting the whole window.
struct SrtpReplayWindow {
    enum Verdict: Equatable {
        case fresh
        case replayed
        case tooOld
    }

    /// libsrtp's default SRTP window (`policy.window_size = 0` → 128) and its fixed SRTCP window.
    static let defaultSize = 128

    private(set) var highestIndex: UInt64 = 0
    private var words: [UInt64]
    private let mask: UInt64

    /// - Parameter size: a power of two in 64...16384 (checked by the session's configuration).
    init(size: Int = SrtpReplayWindow.defaultSize) {
        precondition(size >= 64 && size <= 16384 && size & (size - 1) == 0, "replay window size")
        words = [UInt64](repeating: 0, count: size / 64)
        mask = UInt64(size - 1)
    }

    var size: Int { Int(mask) + 1 }

    func check(_ index: UInt64) -> Verdict {
        if index > highestIndex { return .fresh }
        if highestIndex - index > mask { return .tooOld }
        return isSet(index) ? .replayed : .fresh
    }

    /// Records an authenticated index (which ``check(_:)`` found fresh).
    mutating func accept(_ index: UInt64) {
        if index > highestIndex {
            let advance = index - highestIndex
            if advance > mask {
                for word in words.indices { words[word] = 0 }
            } else {
                var cleared = highestIndex + 1
                while cleared < index {
                    clear(cleared)
                    cleared += 1
                }
            }
            highestIndex = index
        }
        set(index)
    }

    /// Forgets everything and makes `index` the only accepted one: used when the sender's
    /// rollover counter turned out to be other than estimated (see `SrtpStreamState`).
    mutating func restart(at index: UInt64) {
        for word in words.indices { words[word] = 0 }
        highestIndex = index
        set(index)
    }

    @inline(__always)
    private func isSet(_ index: UInt64) -> Bool {
        let bit = index & mask
        return words[Int(bit >> 6)] & (1 << (bit & 63)) != 0
    }

    @inline(__always)
    private mutating func set(_ index: UInt64) {
        let bit = index & mask
        words[Int(bit >> 6)] |= 1 << (bit & 63)
    }

    @inline(__always)
    private mutating func clear(_ index: UInt64) {
        let bit = index & mask
        words[Int(bit >> 6)] &= ~(1 << (bit & 63))
    }
}
