import NIOCore
import SFU

// libFuzzer target for an RTP packet as received from a producer (after SRTP): the packet
// view, its header extensions, every rewrite a consumer applies before forwarding, and the
// codec payload descriptors the SFU reads for key frames and layers.
//
// Beyond "never traps", every rewrite must leave bytes that parse again and do what it says
// (a value set can be read back, a removed extension is gone, RTX round-trips the payload).

private let mimeTypes = ["video/VP8", "video/VP9", "video/H264", "audio/opus"]
private let extensionIds: [UInt8] = [0, 1, 2, 3, 4, 5, 13, 14, 15, 200]
/// Moves one-byte ids past 14 (forcing the two-byte form) and drops some, like a consumer
/// whose negotiated ids differ from the producer's.
private let consumerIdMap = RtpHeaderExtensionIdMap([1: 15, 2: 2, 4: 0, 5: 6, 13: 1])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRtp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = ByteBuffer(bytes: UnsafeRawBufferPointer(start: data, count: size))
    // The inspectors also get raw bytes: they must cope with any payload, not only one that
    // came out of a well-formed packet.
    describePayload(input)
    _ = RtpPacket.looksLikeRtp(input)

    guard let packet = try? RtpPacket(buffer: input) else { return 0 }
    checkLayout(packet, "parsed")
    read(packet)
    describePayload(packet.payload)
    rewriteHeader(packet)
    rewriteHeaderExtensions(packet)
    rewriteLayout(packet)
    return 0
}

private func describePayload(_ payload: ByteBuffer) {
    for mimeType in mimeTypes {
        _ = CodecPayloadInspector.describe(payload: payload, mimeType: mimeType)
    }
    _ = OpusPayloadInspector.frameCount(payload: payload)
}

/// The invariants `RtpPacket` documents, and that its bytes parse to the same layout.
private func checkLayout(_ packet: RtpPacket, _ after: String) {
    precondition(packet.payloadLength >= 0, "\(after): negative payload length")
    precondition(packet.payloadOffset >= RtpPacket.fixedHeaderLength, "\(after): header shorter than 12 bytes")
    precondition(
        packet.payloadOffset + packet.payloadLength + packet.paddingLength == packet.size,
        "\(after): header, payload and padding do not add up to the packet")
    precondition(packet.hasPadding == (packet.paddingLength > 0), "\(after): P bit and padding length disagree")
    precondition(packet.payload.readableBytes == packet.payloadLength, "\(after): payload slice has the wrong length")
    let reparsed: RtpPacket
    do {
        reparsed = try RtpPacket(buffer: packet.buffer)
    } catch {
        preconditionFailure("\(after): bytes no longer parse: \(error)")
    }
    precondition(
        reparsed.payloadOffset == packet.payloadOffset && reparsed.paddingLength == packet.paddingLength
            && reparsed.headerExtensionOffset == packet.headerExtensionOffset,
        "\(after): cached layout differs from the bytes")
}

private func read(_ packet: RtpPacket) {
    _ = packet.description
    precondition(packet.csrcs.count == packet.csrcCount, "csrcs and CSRC count disagree")
    for element in packet.headerExtensions {
        _ = element.value.readableBytes
    }
    _ = packet.headerExtensionForm
    for id in extensionIds {
        if let range = packet.headerExtensionValueRange(id: id) {
            precondition(range.lowerBound >= RtpPacket.fixedHeaderLength && range.upperBound <= packet.payloadOffset,
                "extension \(id) lies outside the header")
            precondition(packet.headerExtension(id: id)?.readableBytes == range.count, "extension \(id) range and value disagree")
        }
        _ = packet.mid(extensionId: id)
        _ = packet.rid(extensionId: id)
        _ = packet.repairedRid(extensionId: id)
        _ = packet.absSendTime(extensionId: id)
        _ = packet.transportWideSequenceNumber(extensionId: id)
        _ = packet.audioLevel(extensionId: id)
        _ = packet.videoOrientation(extensionId: id)
    }
    _ = packet.rtxOriginalSequenceNumber
}

private func rewriteHeader(_ packet: RtpPacket) {
    var copy = packet
    copy.ssrc = 0xFFFF_FFFF
    copy.payloadType = 127
    copy.sequenceNumber &+= 1
    copy.marker.toggle()
    checkLayout(copy, "header rewrite")
    precondition(copy.payload == packet.payload, "header rewrite changed the payload")
    if let descriptor = Vp8PayloadDescriptor(payload: copy.payload) {
        _ = descriptor.payloadDescription
        descriptor.rewrite(pictureId: 0x7FFF, tl0PictureIndex: 0xFF, in: &copy)
        checkLayout(copy, "VP8 rewrite")
    }
}

private func rewriteHeaderExtensions(_ packet: RtpPacket) {
    var identity = packet
    if (try? identity.remapHeaderExtensionIds(.identity)) != nil {
        precondition(identity == packet, "identity remap changed the bytes")
    }

    var remapped = packet
    if (try? remapped.remapHeaderExtensionIds(consumerIdMap)) != nil {
        checkLayout(remapped, "remap")
        precondition(remapped.payload == packet.payload, "remap changed the payload")
        precondition(remapped.headerExtension(id: 4) == nil, "remap kept an extension mapped to 0")
    }

    var set = packet
    let value: [UInt8] = [1, 2, 3]
    if (try? set.setHeaderExtension(id: 3, value: value)) != nil {
        checkLayout(set, "set extension")
        precondition(set.headerExtension(id: 3).map { Array($0.readableBytesView) } == value, "set value does not read back")
        precondition(set.payload == packet.payload, "set extension changed the payload")
    }
    let mid = String(repeating: "m", count: 20)
    if (try? set.setMid(mid, extensionId: 1)) != nil {
        checkLayout(set, "long mid")
        precondition(set.mid(extensionId: 1) == mid, "mid does not read back")
    }

    var removed = packet
    removed.removeHeaderExtension(id: 2)
    checkLayout(removed, "remove extension")
    precondition(removed.headerExtension(id: 2) == nil, "removed extension still present")

    var stripped = packet
    if (try? stripped.removeAllHeaderExtensions()) != nil {
        checkLayout(stripped, "remove all extensions")
        precondition(!stripped.hasHeaderExtension, "X bit still set")
        precondition(stripped.payload == packet.payload, "removing extensions changed the payload")
    }
}

private func rewriteLayout(_ packet: RtpPacket) {
    var csrcs = packet
    if (try? csrcs.setCsrcs([1])) != nil {
        checkLayout(csrcs, "set CSRCs")
        precondition(csrcs.csrcs == [1], "CSRCs do not read back")
        precondition(csrcs.payload == packet.payload, "setting CSRCs changed the payload")
    }

    var unpadded = packet
    unpadded.removePadding()
    checkLayout(unpadded, "padding removal")
    precondition(unpadded.paddingLength == 0 && unpadded.payload == packet.payload, "padding removal lost payload")

    var rtx = packet.rtxEncapsulated(payloadType: 102, ssrc: 9, sequenceNumber: 10)
    checkLayout(rtx, "RTX encapsulation")
    precondition(rtx.rtxOriginalSequenceNumber == packet.sequenceNumber, "RTX lost the original sequence number")
    do {
        try rtx.rtxDecapsulate(payloadType: packet.payloadType, ssrc: packet.ssrc)
    } catch {
        preconditionFailure("RTX packet does not decapsulate: \(error)")
    }
    checkLayout(rtx, "RTX decapsulation")
    precondition(
        rtx.payload == packet.payload && rtx.sequenceNumber == packet.sequenceNumber
            && rtx.timestamp == packet.timestamp && rtx.payloadType == packet.payloadType && rtx.ssrc == packet.ssrc,
        "RTX does not round-trip")

    // The input itself taken as an RTX packet.
    var media = packet
    if (try? media.rtxDecapsulate(payloadType: 96, ssrc: 1)) != nil {
        checkLayout(media, "RTX decapsulation of input")
        precondition(media.payloadLength == packet.payloadLength - 2, "decapsulation did not drop exactly the OSN")
    }
}
