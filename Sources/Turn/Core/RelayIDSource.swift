import Synchronization

/// Hands out relay ids unique across every core of one server.
public final class RelayIDSource: Sendable {
    private let last = Atomic<UInt64>(0)

    public init() {}

    func next() -> RelayID {
        last.add(1, ordering: .relaxed).newValue
    }
}
