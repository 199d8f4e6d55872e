import NIOCore

/// A Data indication (RFC 8656 §11.4): a peer's datagram to a client that has no channel for
/// it, with XOR-PEER-ADDRESS and DATA. A relay frames one per packet, so it is written straight
/// into the caller's buffer rather than built as a ``StunMessage`` (an attribute array, filtered
/// and measured) and encoded into a new buffer each time.
public enum DataIndication {
    /// Appends the indication carrying `data` from `peer`. On error nothing is written.
    public static func encode(
        peer: StunAddress, data: ByteBuffer, transactionID: StunTransactionID, into buffer: inout ByteBuffer
    ) throws(StunEncodingError) {
        let peerAttribute = StunAttribute.xorPeerAddress(peer)
        let dataAttribute = StunAttribute.data(data)
        guard data.readableBytes <= Int(UInt16.max) else {
            throw .attributeTooLong(type: .data, length: data.readableBytes)
        }
        let length = 4 + StunAttribute.padded(peerAttribute.valueLength) + 4 + StunAttribute.padded(data.readableBytes)
        guard length <= Int(UInt16.max) else { throw .messageTooLong(length: length) }
        buffer.reserveCapacity(minimumWritableBytes: StunMessageHeader.byteCount + length)
        StunMessageHeader.write(
            type: StunMessageType(method: .data, messageClass: .indication), length: length, transactionID: transactionID,
            into: &buffer)
        peerAttribute.write(into: &buffer, transactionID: transactionID)
        dataAttribute.write(into: &buffer, transactionID: transactionID)
    }
}
