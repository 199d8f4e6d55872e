/// Guesses a received packet's 48-bit SRTP index (ROC ‖ SEQ) from its 16-bit sequence number,
/// RFC 3711 §3.3.1 and Appendix A.
///
/// This is libsrtp's `srtp_rdbx_estimate_index`, including its start-of-stream rule: while the
/// highest index seen is at most 2^15 the rollover counter is taken as 0 (the plain Appendix A
/// guess would otherwise put a stream that starts at, say, sequence 40000 into ROC −1).
///
/// The guess picks the index nearest to the highest one seen, so it is wrong once more than
/// 2^15 consecutive packets are lost; `SrtpStreamState` recovers from that by also trying the
/// next rollover counter after repeated authentication failures.
enum SrtpRocEstimator {
    static let indexMask: UInt64 = (1 << 48) - 1
    private static let sequenceMedian: Int = 1 << 15

    static func estimateIndex(sequenceNumber: UInt16, highestIndex: UInt64) -> UInt64 {
        guard highestIndex > UInt64(sequenceMedian) else { return UInt64(sequenceNumber) }
        let localRoc = highestIndex >> 16
        let localSequence = Int(highestIndex & 0xFFFF)
        let sequence = Int(sequenceNumber)
        let roc: UInt64
        if localSequence < sequenceMedian {
            roc = sequence - localSequence > sequenceMedian ? localRoc - 1 : localRoc
        } else {
            roc = localSequence - sequenceMedian > sequence ? localRoc + 1 : localRoc
        }
        return ((roc << 16) | UInt64(sequenceNumber)) & indexMask
    }
}
