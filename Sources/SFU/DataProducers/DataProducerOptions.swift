/// mediasoup's `DataProducerOptions`.
public struct DataProducerOptions: Sendable {
    public var id: String?
    /// Required on SCTP transports (the stream the client sends on); absent on DirectTransport.
    public var sctpStreamParameters: SctpStreamParameters?
    public var label: String
    public var `protocol`: String
    public var paused: Bool

    public init(
        id: String? = nil, sctpStreamParameters: SctpStreamParameters? = nil, label: String = "",
        protocol: String = "", paused: Bool = false
    ) {
        self.id = id
        self.sctpStreamParameters = sctpStreamParameters
        self.label = label
        self.protocol = `protocol`
        self.paused = paused
    }
}
