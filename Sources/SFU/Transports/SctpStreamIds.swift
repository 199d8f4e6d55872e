/// The SCTP stream ids a transport gives its data consumers, as mediasoup allocates them: the
/// next free id after the last one given, wrapping within `count` (the association's MIS).
struct SctpStreamIds {
    private var inUse: [Bool]
    private var next = 0

    init(count: Int) {
        inUse = Array(repeating: false, count: max(1, count))
    }

    mutating func take() -> UInt16? {
        for offset in 0..<inUse.count {
            let id = (next + offset) % inUse.count
            guard !inUse[id] else { continue }
            inUse[id] = true
            next = (id + 1) % inUse.count
            return UInt16(id)
        }
        return nil
    }

    mutating func release(_ id: UInt16) {
        guard Int(id) < inUse.count else { return }
        inUse[Int(id)] = false
    }
}
