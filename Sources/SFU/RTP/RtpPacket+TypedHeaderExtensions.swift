import NIOCore

/// Typed accessors for the header extensions an SFU reads and rewrites.
///
/// Extension ids are negotiated per endpoint, so each accessor takes the id the caller resolved
/// from the stream's `RtpParameters` (see ``RtpHeaderExtensionUri``). A missing element, or one
/// whose length does not match the extension's format, reads as nil.
extension RtpPacket {
    // MARK: Identifiers (mid, rid, repaired rid)

    /// The RFC 9143 MID. Trailing NUL bytes (some senders pad the value) are dropped.
    public func mid(extensionId id: UInt8) -> String? {
        headerExtensionString(id: id)
    }

    /// Sets the MID (a different length re-lays the extension block).
    public mutating func setMid(_ mid: String, extensionId id: UInt8) throws(RtpPacketError) {
        try setHeaderExtension(id: id, value: mid.utf8)
    }

    /// The RFC 8852 RtpStreamId (simulcast encoding).
    public func rid(extensionId id: UInt8) -> String? {
        headerExtensionString(id: id)
    }

    public mutating func setRid(_ rid: String, extensionId id: UInt8) throws(RtpPacketError) {
        try setHeaderExtension(id: id, value: rid.utf8)
    }

    /// The RFC 8852 RepairedRtpStreamId carried by RTX packets.
    public func repairedRid(extensionId id: UInt8) -> String? {
        headerExtensionString(id: id)
    }

    public mutating func setRepairedRid(_ rid: String, extensionId id: UInt8) throws(RtpPacketError) {
        try setHeaderExtension(id: id, value: rid.utf8)
    }

    private func headerExtensionString(id: UInt8) -> String? {
        guard let element = headerExtensionLocation(id: id) else { return nil }
        var length = element.valueLength
        while length > 0, buffer.getInteger(at: element.valueIndex + length - 1, as: UInt8.self) == 0 {
            length -= 1
        }
        guard length > 0, let bytes = buffer.viewBytes(at: element.valueIndex, length: length) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Timing and congestion control

    /// The abs-send-time value (3 bytes).
    public func absSendTime(extensionId id: UInt8) -> RtpAbsSendTime? {
        guard let element = headerExtensionLocation(id: id), element.valueLength == 3 else { return nil }
        return RtpAbsSendTime(rawValue: readBigEndian(at: element.valueIndex, byteCount: 3))
    }

    /// Sets abs-send-time, in place when the element already exists (the usual case when a
    /// transport stamps every outgoing packet).
    public mutating func setAbsSendTime(_ value: RtpAbsSendTime, extensionId id: UInt8) throws(RtpPacketError) {
        try setHeaderExtensionInteger(id: id, value: value.rawValue, byteCount: 3)
    }

    /// The transport-wide sequence number (transport-cc, 2 bytes).
    public func transportWideSequenceNumber(extensionId id: UInt8) -> UInt16? {
        guard let element = headerExtensionLocation(id: id), element.valueLength == 2 else { return nil }
        return buffer.getInteger(at: element.valueIndex, as: UInt16.self)
    }

    /// Sets the transport-wide sequence number, in place when the element already exists.
    public mutating func setTransportWideSequenceNumber(_ value: UInt16, extensionId id: UInt8) throws(RtpPacketError) {
        try setHeaderExtensionInteger(id: id, value: value)
    }

    // MARK: Media annotations

    /// The ssrc-audio-level value (1 byte).
    public func audioLevel(extensionId id: UInt8) -> RtpAudioLevel? {
        guard let element = headerExtensionLocation(id: id), element.valueLength >= 1,
            let byte = buffer.getInteger(at: element.valueIndex, as: UInt8.self)
        else { return nil }
        return RtpAudioLevel(byte: byte)
    }

    public mutating func setAudioLevel(_ value: RtpAudioLevel, extensionId id: UInt8) throws(RtpPacketError) {
        try setHeaderExtensionInteger(id: id, value: value.byte)
    }

    /// The video-orientation value (1 byte).
    public func videoOrientation(extensionId id: UInt8) -> RtpVideoOrientation? {
        guard let element = headerExtensionLocation(id: id), element.valueLength >= 1,
            let byte = buffer.getInteger(at: element.valueIndex, as: UInt8.self)
        else { return nil }
        return RtpVideoOrientation(byte: byte)
    }

    public mutating func setVideoOrientation(_ value: RtpVideoOrientation, extensionId id: UInt8) throws(RtpPacketError) {
        try setHeaderExtensionInteger(id: id, value: value.byte)
    }

    private func readBigEndian(at index: Int, byteCount: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<byteCount {
            value = value << 8 | UInt32(buffer.getInteger(at: index + offset, as: UInt8.self) ?? 0)
        }
        return value
    }
}
