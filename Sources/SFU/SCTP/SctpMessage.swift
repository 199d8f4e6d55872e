import NIOCore

/// One whole message on an SCTP stream, with its payload protocol identifier.
public struct SctpMessage: Sendable, Hashable {
    public var streamId: UInt16
    public var ppid: SctpPayloadProtocol
    public var payload: ByteBuffer

    public init(streamId: UInt16, ppid: SctpPayloadProtocol, payload: ByteBuffer) {
        self.streamId = streamId
        self.ppid = ppid
        self.payload = payload
    }
}
