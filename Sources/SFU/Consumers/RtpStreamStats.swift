/// One entry of a consumer's `getStats()`: its outbound stream or the producer stream it
/// forwards, encoded as the flat object mediasoup emits (told apart by `type`).
public enum RtpStreamStats: Sendable, Encodable {
    case outbound(RtpOutboundStreamStats)
    case inbound(RtpInboundStreamStats)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .outbound(let stats): try stats.encode(to: encoder)
        case .inbound(let stats): try stats.encode(to: encoder)
        }
    }
}
