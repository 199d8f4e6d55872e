import NIOCore

/// A message a data consumer on a DirectTransport hands to the application.
public struct DirectDataMessage: Sendable, Hashable {
    public var payload: ByteBuffer
    public var ppid: SctpPayloadProtocol
}
