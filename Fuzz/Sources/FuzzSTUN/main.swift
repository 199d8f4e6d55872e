import NIOCore
import STUN

// libFuzzer target for the bytes the STUN module reads from the network: a UDP datagram
// (STUN or ChannelData, demultiplexed by PacketClassifier) or a chunk of a TURN TCP/TLS stream
// (cut into frames by StreamFraming).
//
// Beyond "never traps", it checks the properties a relay depends on: a decoded message
// re-encodes into bytes that decode to the same message, and one re-encoded with a key carries
// MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT that verify.

/// RFC 5769 §2.1's short-term password, so the seed vectors verify as `.valid`.
private let shortTermKey = StunCredentials.shortTermKey(password: "VOkJxbRl1RmTxUk/WvJxBt")

/// RFC 5769 §2.4's long-term credentials.
private let longTermKey = StunCredentials.longTermKey(
    username: "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}", realm: "example.org", password: "TheMatrIX")
    ?? StunCredentials.shortTermKey(password: "TheMatrIX")

private let computedAttributeTypes: Set<StunAttributeType> = [.messageIntegrity, .messageIntegritySHA256, .fingerprint]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStun(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = ByteBuffer(bytes: UnsafeRawBufferPointer(start: data, count: size))
    _ = PacketClassifier.classify(input)

    if let message = try? StunMessage(decoding: input) {
        exercise(message)
    }
    if let channelData = try? ChannelData(decoding: input) {
        roundTrip(channelData)
    }
    decodeStream(input)
    return 0
}

private func exercise(_ message: StunMessage) {
    _ = message.verifyMessageIntegrity(key: shortTermKey)
    _ = message.verifyMessageIntegrity(key: longTermKey)
    _ = message.verifyFingerprint()
    _ = message.integrityAlgorithms
    _ = message.unknownComprehensionRequiredAttributes
    _ = (message.username, message.realm, message.nonce, message.errorCode, message.xorPeerAddresses, message.data)

    let body = message.attributes.filter { !computedAttributeTypes.contains($0.type) }
    let expected = StunMessage(messageType: message.messageType, transactionID: message.transactionID, attributes: body)

    if let plain = try? message.encoded() {
        let decoded: StunMessage
        do {
            decoded = try StunMessage(decoding: plain)
        } catch {
            preconditionFailure("re-encoded message does not decode: \(error)")
        }
        precondition(decoded == expected, "re-encoded message decodes differently")
        precondition(decoded.verifyFingerprint() == .absent, "FINGERPRINT appeared from nowhere")
    }

    guard
        let protected = try? message.encoded(
            integrityKey: shortTermKey, integrityAlgorithms: [.hmacSHA1, .hmacSHA256], fingerprint: true)
    else { return }
    let decoded: StunMessage
    do {
        decoded = try StunMessage(decoding: protected)
    } catch {
        preconditionFailure("protected re-encoding does not decode: \(error)")
    }
    precondition(
        StunMessage(
            messageType: decoded.messageType, transactionID: decoded.transactionID,
            attributes: decoded.attributes.filter { !computedAttributeTypes.contains($0.type) }) == expected,
        "protected re-encoding decodes differently")
    precondition(decoded.verifyMessageIntegrity(key: shortTermKey) == .valid, "own MESSAGE-INTEGRITY does not verify")
    precondition(decoded.verifyFingerprint() == .valid, "own FINGERPRINT does not verify")
    precondition(decoded.integrityAlgorithms == [.hmacSHA1, .hmacSHA256], "integrity attributes lost")
}

private func roundTrip(_ channelData: ChannelData) {
    for padded in [false, true] {
        var encoded = ByteBuffer()
        channelData.encode(into: &encoded, padded: padded)
        precondition(encoded.readableBytes == channelData.encodedLength(padded: padded), "encodedLength is wrong")
        precondition((try? ChannelData(decoding: encoded)) == channelData, "ChannelData does not round-trip")
    }
}

/// Cuts frames out of the input as the TURN TCP listener does and decodes each.
private func decodeStream(_ input: ByteBuffer) {
    var stream = input
    while let length = try? StreamFraming.frameLength(in: stream), let frame = stream.readSlice(length: length) {
        precondition(length >= ChannelData.headerLength, "frame length \(length) cannot make progress")
        if let first = frame.getInteger(at: frame.readerIndex, as: UInt8.self), first < 0x40 {
            if let message = try? StunMessage(decoding: frame) {
                _ = message.verifyMessageIntegrity(key: longTermKey)
                _ = message.verifyFingerprint()
            }
        } else {
            _ = try? ChannelData(decoding: frame)
        }
    }
}
