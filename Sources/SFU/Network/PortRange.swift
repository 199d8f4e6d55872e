/// An inclusive range of ports to bind media sockets in (mediasoup's `portRange {min, max}`).
public struct PortRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var min: Int
    public var max: Int

    public init(min: Int, max: Int) {
        self.min = min
        self.max = max
    }

    public var isValid: Bool { 1 <= min && min <= max && max <= 65535 }

    public var description: String { "\(min)-\(max)" }
}
