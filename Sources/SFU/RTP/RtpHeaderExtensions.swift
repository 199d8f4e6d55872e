import NIOCore

/// The two RFC 8285 layouts of RTP header extension elements.
public enum RtpHeaderExtensionForm: Sendable, Equatable {
    /// Profile 0xBEDE: a 1-byte element header (4-bit id 1–14, 4-bit length-1), values 1–16 bytes.
    case oneByte
    /// Profile 0x100X: a 2-byte element header (8-bit id 1–255, 8-bit length), values 0–255 bytes.
    case twoByte

    static let oneByteProfile: UInt16 = 0xBEDE
    static let twoByteProfile: UInt16 = 0x1000

    init?(profile: UInt16) {
        if profile == Self.oneByteProfile {
            self = .oneByte
        } else if profile & 0xFFF0 == Self.twoByteProfile {
            // The low 4 bits are "appbits", free for the application; the form is the same.
            self = .twoByte
        } else {
            return nil
        }
    }

    var profile: UInt16 { self == .oneByte ? Self.oneByteProfile : Self.twoByteProfile }
    var elementHeaderLength: Int { self == .oneByte ? 1 : 2 }

    /// Whether an element with this id and value length can be written in this form.
    func canEncode(id: UInt8, length: Int) -> Bool {
        switch self {
        case .oneByte: return (1...14).contains(id) && (1...16).contains(length)
        case .twoByte: return id != 0 && length <= 255
        }
    }
}

/// One header extension element: its id and its value bytes (a slice sharing the packet's
/// storage).
public struct RtpHeaderExtensionElement: Sendable, Equatable {
    public let id: UInt8
    public let value: ByteBuffer
}

/// The header extension elements of a packet, in wire order, skipping padding bytes.
///
/// Parsing follows RFC 8285 §4: id 15 in the one-byte form stops processing, and an element
/// whose value would run past the extension block ends the list (the elements before it stay
/// usable, as in libwebrtc and mediasoup).
public struct RtpHeaderExtensionElements: Sequence, Sendable {
    let buffer: ByteBuffer
    let start: Int
    let end: Int
    let form: RtpHeaderExtensionForm?

    public struct Iterator: IteratorProtocol {
        let buffer: ByteBuffer
        var position: Int
        let end: Int
        let form: RtpHeaderExtensionForm?

        public mutating func next() -> RtpHeaderExtensionElement? {
            guard let form,
                let element = RtpHeaderExtensionScanner.element(in: buffer, at: position, end: end, form: form),
                let value = buffer.getSlice(at: element.valueIndex, length: element.valueLength)
            else { return nil }
            position = element.nextIndex
            return RtpHeaderExtensionElement(id: element.id, value: value)
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(buffer: buffer, position: start, end: end, form: form)
    }
}

/// Location of one element inside a buffer (absolute indices).
struct RtpHeaderExtensionElementLocation {
    var id: UInt8
    var elementIndex: Int
    var valueIndex: Int
    var valueLength: Int
    var nextIndex: Int { valueIndex + valueLength }
}

/// Stateless element scanning over raw bytes. It takes the bytes as a parameter instead of
/// holding a copy so that callers can rewrite the buffer between steps without forcing a
/// copy-on-write, and reads them without `ByteBuffer`'s per-read checks: every packet a consumer
/// sends is scanned.
enum RtpHeaderExtensionScanner {
    /// The element at `index` or after it (padding bytes skipped), indices relative to `bytes`;
    /// nil at the end of the block.
    static func element(
        in bytes: UnsafeRawBufferPointer, at index: Int, end: Int, form: RtpHeaderExtensionForm
    ) -> RtpHeaderExtensionElementLocation? {
        var position = index
        while position < end {
            let first = bytes[position]
            // RFC 8285 reserves id 0 for padding. In the one-byte form a byte with id 0 is one
            // padding byte whatever its length nibble (as mediasoup reads it): taking it as an
            // element would swallow the elements after it.
            if first == 0 || (form == .oneByte && first >> 4 == 0) {
                position += 1
                continue
            }
            switch form {
            case .oneByte:
                let id = first >> 4
                guard id != 15 else { return nil }
                let length = Int(first & 0x0F) + 1
                guard position + 1 + length <= end else { return nil }
                return RtpHeaderExtensionElementLocation(
                    id: id, elementIndex: position, valueIndex: position + 1, valueLength: length)
            case .twoByte:
                guard position + 2 <= end else { return nil }
                let length = Int(bytes[position + 1])
                guard position + 2 + length <= end else { return nil }
                return RtpHeaderExtensionElementLocation(
                    id: first, elementIndex: position, valueIndex: position + 2, valueLength: length)
            }
        }
        return nil
    }

    /// ``element(in:at:end:form:)`` over `buffer`'s readable bytes, indices absolute in `buffer`.
    static func element(
        in buffer: ByteBuffer, at index: Int, end: Int, form: RtpHeaderExtensionForm
    ) -> RtpHeaderExtensionElementLocation? {
        let base = buffer.readerIndex
        guard index >= base, end <= buffer.writerIndex else { return nil }
        return buffer.withUnsafeReadableBytes { bytes in
            element(in: bytes, at: index - base, end: end - base, form: form).map { $0.offset(by: base) }
        }
    }
}

extension RtpHeaderExtensionElementLocation {
    func offset(by distance: Int) -> Self {
        Self(id: id, elementIndex: elementIndex + distance, valueIndex: valueIndex + distance, valueLength: valueLength)
    }
}

// MARK: - Reading

extension RtpPacket {
    /// The "defined by profile" field of the header extension, if the X bit is set.
    public var headerExtensionProfile: UInt16? {
        headerExtensionOffset.map { uint16(at: $0) }
    }

    /// The RFC 8285 form of the header extension; nil when there is none or when its profile is
    /// not an RFC 8285 one.
    public var headerExtensionForm: RtpHeaderExtensionForm? {
        headerExtensionProfile.flatMap(RtpHeaderExtensionForm.init(profile:))
    }

    /// Absolute indices in `buffer` of the extension elements block.
    var headerExtensionBlock: (start: Int, end: Int)? {
        guard let offset = headerExtensionOffset else { return nil }
        let start = buffer.readerIndex + offset + 4
        return (start, start + 4 * Int(uint16(at: offset + 2)))
    }

    /// All header extension elements in wire order (empty for non-RFC 8285 profiles).
    public var headerExtensions: RtpHeaderExtensionElements {
        let block = headerExtensionBlock ?? (0, 0)
        return RtpHeaderExtensionElements(buffer: buffer, start: block.start, end: block.end, form: headerExtensionForm)
    }

    /// Location of the first element with `id`, if any.
    func headerExtensionLocation(id: UInt8) -> RtpHeaderExtensionElementLocation? {
        guard id != 0, let offset = headerExtensionOffset else { return nil }
        let base = buffer.readerIndex
        return buffer.withUnsafeReadableBytes { bytes in
            let profile = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            guard let form = RtpHeaderExtensionForm(profile: profile) else { return nil }
            let end = offset + 4 + 4 * (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
            var position = offset + 4
            while let element = RtpHeaderExtensionScanner.element(in: bytes, at: position, end: end, form: form) {
                if element.id == id { return element.offset(by: base) }
                position = element.nextIndex
            }
            return nil
        }
    }

    /// Where the value of extension `id` lies, relative to the first byte of the packet.
    /// When an id appears more than once the first occurrence wins.
    public func headerExtensionValueRange(id: UInt8) -> Range<Int>? {
        guard let element = headerExtensionLocation(id: id) else { return nil }
        let start = element.valueIndex - buffer.readerIndex
        return start..<(start + element.valueLength)
    }

    /// The value of extension `id` as a slice sharing the packet's storage, or nil if absent.
    public func headerExtension(id: UInt8) -> ByteBuffer? {
        guard let element = headerExtensionLocation(id: id) else { return nil }
        return buffer.getSlice(at: element.valueIndex, length: element.valueLength)
    }
}

// MARK: - Writing

extension RtpPacket {
    /// Sets (adds or replaces) the value of extension `id`.
    ///
    /// A value of the same length as the existing one is written in place. Otherwise the
    /// extension block is re-laid: the other elements keep their order and the new one comes
    /// last. The block keeps its form unless it cannot encode an element (an id above 14, a value
    /// empty or longer than 16 bytes), in which case it switches to the two-byte form. A packet
    /// without extensions gets the one-byte form when possible.
    public mutating func setHeaderExtension(id: UInt8, value: some Collection<UInt8>) throws(RtpPacketError) {
        guard id != 0 else { throw .invalidHeaderExtensionId(id) }
        guard value.count <= 255 else { throw .headerExtensionValueTooLong(id: id, length: value.count) }
        let currentForm: RtpHeaderExtensionForm?
        if let profile = headerExtensionProfile {
            guard let form = RtpHeaderExtensionForm(profile: profile) else {
                throw .unsupportedHeaderExtensionProfile(profile)
            }
            currentForm = form
        } else {
            currentForm = nil
        }
        if let existing = headerExtensionLocation(id: id), existing.valueLength == value.count {
            buffer.setBytes(value, at: existing.valueIndex)
            return
        }
        if currentForm != .twoByte, try relayOneByteHeaderExtensions(appending: id, value: value) {
            return
        }
        var elements: [(id: UInt8, value: ByteBuffer)] = []
        for element in headerExtensions where element.id != id {
            elements.append((element.id, element.value))
        }
        var newValue = ByteBuffer()
        newValue.writeBytes(value)
        elements.append((id, newValue))
        try relayHeaderExtensions(elements, keepingTwoByteForm: currentForm == .twoByte)
    }

    /// Writes a fixed-width integer value for extension `id`, in place when an element of the
    /// same size exists (the common hot-path case: abs-send-time, transport-wide seq).
    mutating func setHeaderExtensionInteger<T: FixedWidthInteger>(
        id: UInt8, value: T, byteCount: Int = MemoryLayout<T>.size
    ) throws(RtpPacketError) {
        if let existing = headerExtensionLocation(id: id), existing.valueLength == byteCount {
            writeBigEndian(value, byteCount: byteCount, at: existing.valueIndex)
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for shift in stride(from: 8 * (byteCount - 1), through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> T(shift)))
        }
        try setHeaderExtension(id: id, value: bytes)
    }

    private mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T, byteCount: Int, at index: Int) {
        let offset = index - buffer.readerIndex
        buffer.withUnsafeMutableReadableBytes { bytes in
            for byteIndex in 0..<byteCount {
                let shift = 8 * (byteCount - 1 - byteIndex)
                bytes[offset + byteIndex] = UInt8(truncatingIfNeeded: value >> T(shift))
            }
        }
    }

    /// Removes every element with `id`. Returns whether one was found.
    ///
    /// Removal is in place: the element's bytes become RFC 8285 padding (zero bytes), so the
    /// packet keeps its size and no bytes move. Receivers skip padding bytes by definition.
    @discardableResult
    public mutating func removeHeaderExtension(id: UInt8) -> Bool {
        guard id != 0, let form = headerExtensionForm, let block = headerExtensionBlock else { return false }
        var removed = false
        var position = block.start
        while let element = RtpHeaderExtensionScanner.element(in: buffer, at: position, end: block.end, form: form) {
            if element.id == id {
                buffer.setRepeatingByte(0, count: element.nextIndex - element.elementIndex, at: element.elementIndex)
                removed = true
            }
            position = element.nextIndex
        }
        return removed
    }

    /// Removes the whole header extension (clears the X bit and re-lays the header).
    public mutating func removeAllHeaderExtensions() throws(RtpPacketError) {
        guard hasHeaderExtension else { return }
        try relayHeaderExtensions([], keepingTwoByteForm: false)
    }

    /// Rewrites every element id through `map`; elements mapped to 0 are removed (turned into
    /// padding). In place unless a one-byte block receives an id above 14, in which case the
    /// block is re-laid in the two-byte form.
    ///
    /// If two source ids map to the same target, both elements keep it and lookups find the
    /// first; give the map distinct targets.
    public mutating func remapHeaderExtensionIds(_ map: RtpHeaderExtensionIdMap) throws(RtpPacketError) {
        guard let profile = headerExtensionProfile, let block = headerExtensionBlock else { return }
        guard let form = RtpHeaderExtensionForm(profile: profile) else {
            throw .unsupportedHeaderExtensionProfile(profile)
        }

        if form == .oneByte, map.largestTarget > 14, headerExtensions.contains(where: { map[$0.id] > 14 }) {
            var elements: [(id: UInt8, value: ByteBuffer)] = []
            for element in headerExtensions where map[element.id] != 0 {
                elements.append((map[element.id], element.value))
            }
            try relayHeaderExtensions(elements, keepingTwoByteForm: true)
            return
        }

        let base = buffer.readerIndex
        buffer.withUnsafeMutableReadableBytes { bytes in
            var position = block.start - base
            while let element = RtpHeaderExtensionScanner.element(
                in: UnsafeRawBufferPointer(bytes), at: position, end: block.end - base, form: form)
            {
                let newId = map[element.id]
                if newId == 0 {
                    for index in element.elementIndex..<element.nextIndex { bytes[index] = 0 }
                } else if form == .oneByte {
                    bytes[element.elementIndex] = (newId << 4) | (bytes[element.elementIndex] & 0x0F)
                } else {
                    bytes[element.elementIndex] = newId
                }
                position = element.nextIndex
            }
        }
    }

    /// Re-lays a one-byte block (or none) that stays one-byte, in one pass over raw memory:
    /// each element's id goes through `map` (0 drops it; no map keeps it), elements that come out
    /// as `id` are dropped, padding is dropped, and `id` with `value` comes last. One buffer,
    /// with room for the SRTP trailer, and no per-element copies: a consumer does this to every
    /// packet it sends, to give it its mid and its negotiated extensions.
    /// False (nothing changed) when the block is two-byte or `map` gives ids above 14.
    mutating func relayOneByteHeaderExtensions(
        mapping map: RtpHeaderExtensionIdMap? = nil, appending id: UInt8, value: some Collection<UInt8>
    ) throws(RtpPacketError) -> Bool {
        guard (1...14).contains(id), (1...16).contains(value.count), (map?.largestTarget ?? 14) <= 14 else { return false }
        let block = headerExtensionBlock
        guard block == nil || headerExtensionProfile == RtpHeaderExtensionForm.oneByteProfile else { return false }
        let start = buffer.readerIndex
        let blockStart = (block?.start ?? start) - start
        let blockEnd = (block?.end ?? start) - start
        let csrcEnd = Self.fixedHeaderLength + 4 * csrcCount
        let tail = payloadOffset..<size
        // Kept elements take at most the source block's bytes; the block is padded to words.
        let capacity = csrcEnd + 4 + (blockEnd - blockStart) + 1 + value.count + 3 + tail.count
        guard capacity / 4 <= Int(UInt16.max) else { throw .headerExtensionBlockTooLong(length: capacity) }
        var length = 0
        var blockLength = 0

        var bytes = ByteBufferAllocator().buffer(capacity: capacity + Self.trailerRoom)
        bytes.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { output in
            buffer.withUnsafeReadableBytes { packet in
                var position = 0
                func append(_ range: Range<Int>) {
                    UnsafeMutableRawBufferPointer(rebasing: output[position...])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: packet[range]))
                    position += range.count
                }
                func append(_ byte: UInt8) {
                    output[position] = byte
                    position += 1
                }
                append(packet[0] | 0x10)
                append(1..<csrcEnd)
                append(UInt8(RtpHeaderExtensionForm.oneByteProfile >> 8))
                append(UInt8(truncatingIfNeeded: RtpHeaderExtensionForm.oneByteProfile))
                let lengthIndex = position
                position += 2
                var scanned = blockStart
                while let element = RtpHeaderExtensionScanner.element(
                    in: packet, at: scanned, end: blockEnd, form: .oneByte)
                {
                    let newId = map.map { $0[element.id] } ?? element.id
                    if newId != 0, newId != id {
                        append((newId << 4) | (packet[element.elementIndex] & 0x0F))
                        append(element.valueIndex..<element.nextIndex)
                    }
                    scanned = element.nextIndex
                }
                append((id << 4) | UInt8(value.count - 1))
                for byte in value { append(byte) }
                blockLength = (position - lengthIndex - 2 + 3) & ~3
                while position < lengthIndex + 2 + blockLength { append(0) }
                output[lengthIndex] = UInt8(truncatingIfNeeded: (blockLength / 4) >> 8)
                output[lengthIndex + 1] = UInt8(truncatingIfNeeded: blockLength / 4)
                append(tail)
                length = position
            }
            return length
        }
        try replaceBuffer(with: bytes)
        return true
    }

    /// Rebuilds the packet with `elements` as its extension block (or without an extension when
    /// `elements` is empty), keeping fixed header, CSRCs, payload and padding.
    private mutating func relayHeaderExtensions(
        _ elements: [(id: UInt8, value: ByteBuffer)], keepingTwoByteForm: Bool
    ) throws(RtpPacketError) {
        var form: RtpHeaderExtensionForm = keepingTwoByteForm ? .twoByte : .oneByte
        for element in elements {
            guard RtpHeaderExtensionForm.twoByte.canEncode(id: element.id, length: element.value.readableBytes) else {
                if element.id == 0 { throw .invalidHeaderExtensionId(0) }
                throw .headerExtensionValueTooLong(id: element.id, length: element.value.readableBytes)
            }
            if !form.canEncode(id: element.id, length: element.value.readableBytes) { form = .twoByte }
        }

        let start = buffer.readerIndex
        let csrcEnd = Self.fixedHeaderLength + 4 * csrcCount
        let elementsLength = elements.reduce(0) { $0 + form.elementHeaderLength + $1.value.readableBytes }
        let blockLength = (elementsLength + 3) & ~3
        guard blockLength / 4 <= Int(UInt16.max) else { throw .headerExtensionBlockTooLong(length: blockLength) }
        let tailLength = size - payloadOffset

        var bytes = ByteBuffer()
        bytes.reserveCapacity(csrcEnd + 4 + blockLength + tailLength + Self.trailerRoom)
        let firstByte = elements.isEmpty ? byte(at: 0) & ~0x10 : byte(at: 0) | 0x10
        bytes.writeInteger(firstByte)
        if let header = buffer.getSlice(at: start + 1, length: csrcEnd - 1) {
            bytes.writeImmutableBuffer(header)
        }
        if !elements.isEmpty {
            bytes.writeInteger(form.profile)
            bytes.writeInteger(UInt16(blockLength / 4))
            for element in elements {
                let length = element.value.readableBytes
                switch form {
                case .oneByte:
                    bytes.writeInteger((element.id << 4) | UInt8(length - 1))
                case .twoByte:
                    bytes.writeInteger(element.id)
                    bytes.writeInteger(UInt8(length))
                }
                bytes.writeImmutableBuffer(element.value)
            }
            bytes.writeRepeatingByte(0, count: blockLength - elementsLength)
        }
        if let tail = buffer.getSlice(at: start + payloadOffset, length: tailLength) {
            bytes.writeImmutableBuffer(tail)
        }
        try replaceBuffer(with: bytes)
    }
}
