import NIOCore

/// An RTP packet (RFC 3550) as a validated view over its bytes.
///
/// The packet's bytes are exactly the readable bytes of ``buffer``. Construction validates the
/// layout once (version 2, CSRC list, header extension length, padding) and caches the offsets,
/// so every accessor afterwards is a bounded read at a known offset.
///
/// Rewrites happen in place through `ByteBuffer`'s `setInteger`/`setBytes`. Because
/// `ByteBuffer` is copy-on-write, a consumer that copies a producer's packet and rewrites its
/// SSRC, payload type or sequence number pays for one copy of the bytes, on its first write,
/// and the producer's packet is never affected. Only rewrites that change the header size
/// (CSRC count, a header extension value of a different length, RTX encapsulation) re-lay the
/// bytes.
///
/// Invariants (hold after every public mutation):
/// - `buffer.readableBytes >= payloadOffset + paddingLength`;
/// - the header extension, when present, lies entirely inside the header;
/// - `paddingLength > 0` exactly when the P bit is set.
///
/// Offsets exposed by this type (``payloadOffset``, ``payloadRange``...) are relative to the
/// first byte of the packet, not to `buffer`'s storage.
public struct RtpPacket: Sendable {
    /// Size of the fixed RTP header, before CSRCs.
    public static let fixedHeaderLength = 12
    /// Spare capacity a packet re-laid for sending keeps, so that the SRTP trailer (at most 20
    /// bytes: an AEAD tag, or an auth tag plus the SRTCP index) fits without another copy.
    public static let trailerRoom = 20

    /// The packet's bytes: exactly `buffer.readableBytes`.
    ///
    /// Settable inside the module only for the in-place rewrites (header extensions, RTX,
    /// codec descriptors); those keep the layout cached below valid.
    public internal(set) var buffer: ByteBuffer

    /// Offset of the 4-byte header extension header (profile + length), if the X bit is set.
    public private(set) var headerExtensionOffset: Int?

    /// Offset of the first payload byte, which is also the total header length.
    public private(set) var payloadOffset: Int

    /// Number of padding bytes at the end of the packet, including the count byte itself.
    /// Zero when the P bit is clear.
    public private(set) var paddingLength: Int

    /// Parses and validates `buffer` as one RTP packet occupying all its readable bytes.
    ///
    /// The bytes are not copied: the packet keeps a reference to `buffer`'s storage.
    public init(buffer: ByteBuffer) throws(RtpPacketError) {
        let layout = try Self.layout(of: buffer)
        self.buffer = buffer
        self.headerExtensionOffset = layout.headerExtensionOffset
        self.payloadOffset = layout.payloadOffset
        self.paddingLength = layout.paddingLength
    }

    /// Builds a new packet without CSRCs or header extensions (add those with
    /// ``setCsrcs(_:)`` and ``setHeaderExtension(id:value:)``).
    ///
    /// - Parameters:
    ///   - payloadType: only the low 7 bits are used.
    ///   - paddingLength: number of padding bytes to append (0 for none); the last padding byte
    ///     holds the count, as RFC 3550 requires.
    public init(
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        marker: Bool = false,
        payload: ByteBuffer,
        paddingLength: UInt8 = 0
    ) {
        var bytes = ByteBuffer()
        bytes.reserveCapacity(Self.fixedHeaderLength + payload.readableBytes + Int(paddingLength))
        bytes.writeInteger(UInt8(0x80 | (paddingLength > 0 ? 0x20 : 0)))
        bytes.writeInteger(UInt8((marker ? 0x80 : 0) | (payloadType & 0x7F)))
        bytes.writeInteger(sequenceNumber)
        bytes.writeInteger(timestamp)
        bytes.writeInteger(ssrc)
        bytes.writeImmutableBuffer(payload)
        if paddingLength > 0 {
            bytes.writeRepeatingByte(0, count: Int(paddingLength) - 1)
            bytes.writeInteger(paddingLength)
        }
        self.buffer = bytes
        self.headerExtensionOffset = nil
        self.payloadOffset = Self.fixedHeaderLength
        self.paddingLength = Int(paddingLength)
    }

    /// Builds a new packet from a payload given as bytes. See
    /// ``init(payloadType:sequenceNumber:timestamp:ssrc:marker:payload:paddingLength:)``.
    public init(
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        marker: Bool = false,
        payloadBytes: some Collection<UInt8>,
        paddingLength: UInt8 = 0
    ) {
        var payload = ByteBuffer()
        payload.writeBytes(payloadBytes)
        self.init(
            payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp,
            ssrc: ssrc, marker: marker, payload: payload, paddingLength: paddingLength)
    }

    /// True when `buffer` looks like RTP rather than RTCP on a multiplexed port (RFC 5761 §4):
    /// version 2 and a second byte outside the RTCP packet type range 192–223.
    ///
    /// This is a demultiplexing hint, not validation; parse with ``init(buffer:)``.
    public static func looksLikeRtp(_ buffer: ByteBuffer) -> Bool {
        guard buffer.readableBytes >= fixedHeaderLength,
            let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self)
        else { return false }
        return first >> 6 == 2 && !(192...223).contains(second)
    }
}

// MARK: - Layout validation

extension RtpPacket {
    struct Layout {
        var headerExtensionOffset: Int?
        var payloadOffset: Int
        var paddingLength: Int
    }

    static func layout(of buffer: ByteBuffer) throws(RtpPacketError) -> Layout {
        let start = buffer.readerIndex
        let length = buffer.readableBytes
        guard length >= fixedHeaderLength, let first = buffer.getInteger(at: start, as: UInt8.self)
        else { throw .tooShort(length: length) }

        let version = first >> 6
        guard version == 2 else { throw .unsupportedVersion(version) }

        let csrcCount = Int(first & 0x0F)
        var offset = fixedHeaderLength + 4 * csrcCount
        guard length >= offset else { throw .truncatedCsrcList(csrcCount: csrcCount, length: length) }

        var headerExtensionOffset: Int?
        if first & 0x10 != 0 {
            guard length >= offset + 4,
                let words = buffer.getInteger(at: start + offset + 2, as: UInt16.self)
            else { throw .truncatedHeaderExtension(declaredLength: 4, available: length - offset) }
            let extensionLength = 4 + 4 * Int(words)
            guard length >= offset + extensionLength else {
                throw .truncatedHeaderExtension(declaredLength: extensionLength, available: length - offset)
            }
            headerExtensionOffset = offset
            offset += extensionLength
        }

        var paddingLength = 0
        if first & 0x20 != 0 {
            let available = length - offset
            let count = available > 0 ? Int(buffer.getInteger(at: start + length - 1, as: UInt8.self) ?? 0) : 0
            // The count includes itself, so zero is as malformed as a count reaching into the header.
            guard count > 0, count <= available else {
                throw .invalidPadding(paddingLength: count, available: available)
            }
            paddingLength = count
        }
        return Layout(headerExtensionOffset: headerExtensionOffset, payloadOffset: offset, paddingLength: paddingLength)
    }

    /// Replaces the bytes with `newBuffer`, which the caller built from this packet's validated
    /// layout; it is validated again so the invariants can never be broken by a re-lay bug.
    mutating func replaceBuffer(with newBuffer: ByteBuffer) throws(RtpPacketError) {
        self = try RtpPacket(buffer: newBuffer)
    }
}

// MARK: - Byte access (offsets relative to the packet start, bounds already validated)

extension RtpPacket {
    @inline(__always)
    func byte(at offset: Int) -> UInt8 {
        buffer.getInteger(at: buffer.readerIndex + offset, as: UInt8.self) ?? 0
    }

    @inline(__always)
    func uint16(at offset: Int) -> UInt16 {
        buffer.getInteger(at: buffer.readerIndex + offset, as: UInt16.self) ?? 0
    }

    @inline(__always)
    func uint32(at offset: Int) -> UInt32 {
        buffer.getInteger(at: buffer.readerIndex + offset, as: UInt32.self) ?? 0
    }

    @inline(__always)
    mutating func setByte(_ value: UInt8, at offset: Int) {
        buffer.setInteger(value, at: buffer.readerIndex + offset)
    }

    /// Writes `value` at `offset` bytes into the payload, if it fits inside the payload.
    /// Used by codec descriptors that rewrite fields (VP8 PictureID...) in place.
    @discardableResult
    mutating func setPayloadInteger<T: FixedWidthInteger>(_ value: T, at offset: Int) -> Bool {
        guard offset >= 0, offset + MemoryLayout<T>.size <= payloadLength else { return false }
        buffer.setInteger(value, at: buffer.readerIndex + payloadOffset + offset)
        return true
    }
}

// MARK: - Fixed header fields

extension RtpPacket {
    /// Total size of the packet in bytes.
    public var size: Int { buffer.readableBytes }

    /// Always 2 for a parsed packet.
    public var version: UInt8 { byte(at: 0) >> 6 }

    /// The P bit; ``paddingLength`` says how many bytes it covers.
    public var hasPadding: Bool { byte(at: 0) & 0x20 != 0 }

    /// The X bit.
    public var hasHeaderExtension: Bool { headerExtensionOffset != nil }

    /// Number of CSRCs (0–15).
    public var csrcCount: Int { Int(byte(at: 0) & 0x0F) }

    /// The M bit (end of frame for video, start of talkspurt for audio).
    public var marker: Bool {
        get { byte(at: 1) & 0x80 != 0 }
        set { setByte((byte(at: 1) & 0x7F) | (newValue ? 0x80 : 0), at: 1) }
    }

    /// The 7-bit payload type. Setting keeps the marker bit and uses the low 7 bits of the value.
    public var payloadType: UInt8 {
        get { byte(at: 1) & 0x7F }
        set { setByte((byte(at: 1) & 0x80) | (newValue & 0x7F), at: 1) }
    }

    public var sequenceNumber: UInt16 {
        get { uint16(at: 2) }
        set { buffer.setInteger(newValue, at: buffer.readerIndex + 2) }
    }

    public var timestamp: UInt32 {
        get { uint32(at: 4) }
        set { buffer.setInteger(newValue, at: buffer.readerIndex + 4) }
    }

    public var ssrc: UInt32 {
        get { uint32(at: 8) }
        set { buffer.setInteger(newValue, at: buffer.readerIndex + 8) }
    }

    /// The CSRC at `index`, or nil when `index` is outside `0..<csrcCount`.
    public func csrc(at index: Int) -> UInt32? {
        guard index >= 0, index < csrcCount else { return nil }
        return uint32(at: Self.fixedHeaderLength + 4 * index)
    }

    /// All CSRCs, in order. Allocates; prefer ``csrc(at:)`` on hot paths.
    public var csrcs: [UInt32] {
        (0..<csrcCount).map { uint32(at: Self.fixedHeaderLength + 4 * $0) }
    }

    /// Replaces the CSRC list. Same count: rewritten in place; different count: the header is
    /// re-laid (header extension and payload are kept).
    public mutating func setCsrcs(_ newCsrcs: [UInt32]) throws(RtpPacketError) {
        guard newCsrcs.count <= 15 else { throw .tooManyCsrcs(newCsrcs.count) }
        if newCsrcs.count == csrcCount {
            for (index, csrc) in newCsrcs.enumerated() {
                buffer.setInteger(csrc, at: buffer.readerIndex + Self.fixedHeaderLength + 4 * index)
            }
            return
        }
        let start = buffer.readerIndex
        let oldCsrcEnd = Self.fixedHeaderLength + 4 * csrcCount
        var bytes = ByteBuffer()
        bytes.reserveCapacity(size - oldCsrcEnd + Self.fixedHeaderLength + 4 * newCsrcs.count)
        bytes.writeInteger((byte(at: 0) & 0xF0) | UInt8(newCsrcs.count))
        if let fixedRest = buffer.getSlice(at: start + 1, length: Self.fixedHeaderLength - 1) {
            bytes.writeImmutableBuffer(fixedRest)
        }
        for csrc in newCsrcs { bytes.writeInteger(csrc) }
        if let rest = buffer.getSlice(at: start + oldCsrcEnd, length: size - oldCsrcEnd) {
            bytes.writeImmutableBuffer(rest)
        }
        try replaceBuffer(with: bytes)
    }
}

// MARK: - Payload and padding

extension RtpPacket {
    /// Total header length (fixed header, CSRCs, header extension).
    public var headerLength: Int { payloadOffset }

    /// Number of payload bytes, excluding padding.
    public var payloadLength: Int { size - payloadOffset - paddingLength }

    /// Where the payload lies, relative to the first byte of the packet.
    public var payloadRange: Range<Int> { payloadOffset..<(payloadOffset + payloadLength) }

    /// The payload bytes as a slice sharing this packet's storage (no copy).
    public var payload: ByteBuffer {
        buffer.getSlice(at: buffer.readerIndex + payloadOffset, length: payloadLength) ?? ByteBuffer()
    }

    /// Drops the padding bytes and clears the P bit. Does nothing when there is no padding.
    ///
    /// Padding exists for SRTP block alignment or bandwidth probing; a forwarder strips it so
    /// that it is not counted as media and so that re-padding is a sender's decision.
    public mutating func removePadding() {
        guard paddingLength > 0 else { return }
        setByte(byte(at: 0) & ~0x20, at: 0)
        buffer.moveWriterIndex(to: buffer.readerIndex + size - paddingLength)
        paddingLength = 0
    }
}

// MARK: - Value semantics

extension RtpPacket: Equatable {
    /// Two packets are equal when their bytes are equal.
    public static func == (lhs: RtpPacket, rhs: RtpPacket) -> Bool {
        lhs.buffer == rhs.buffer
    }
}

extension RtpPacket: CustomStringConvertible {
    public var description: String {
        "RtpPacket(ssrc: \(ssrc), payloadType: \(payloadType), sequenceNumber: \(sequenceNumber), "
            + "timestamp: \(timestamp), marker: \(marker), size: \(size), payloadLength: \(payloadLength), "
            + "paddingLength: \(paddingLength))"
    }
}
