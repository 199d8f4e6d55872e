import XCTest

@testable import SFU

/// Packet builders and array-based wrappers for the SRTP tests (namespaced to stay clear of
/// other test helpers in the SFUTests module).
enum SrtpTestSupport {
    /// Bytes from hexadecimal text; spaces and newlines are ignored.
    static func hex(_ text: String) -> [UInt8] {
        let digits = text.filter { !$0.isWhitespace }
        precondition(digits.count % 2 == 0, "odd number of hex digits")
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// An RTP packet with a deterministic payload; optional CSRCs and a one-byte-form header
    /// extension of `extensionWords` 32-bit words.
    static func rtpPacket(
        ssrc: UInt32,
        sequenceNumber: UInt16,
        payloadLength: Int = 160,
        csrcCount: Int = 0,
        extensionWords: Int = 0,
        payloadType: UInt8 = 111
    ) -> [UInt8] {
        var packet: [UInt8] = [
            0x80 | (extensionWords > 0 ? 0x10 : 0) | UInt8(csrcCount),
            payloadType,
            UInt8(sequenceNumber >> 8), UInt8(truncatingIfNeeded: sequenceNumber),
        ]
        let timestamp = UInt32(sequenceNumber) &* 960
        packet += bigEndian(timestamp)
        packet += bigEndian(ssrc)
        for csrc in 0..<csrcCount { packet += bigEndian(0xC000_0000 | UInt32(csrc)) }
        if extensionWords > 0 {
            packet += [0xBE, 0xDE, 0, UInt8(extensionWords)]
            for word in 0..<extensionWords { packet += [0x10, UInt8(word), 0, 0] }
        }
        for index in 0..<payloadLength {
            packet.append(UInt8(truncatingIfNeeded: index &* 7 &+ Int(sequenceNumber)))
        }
        return packet
    }

    /// A sender report (PT 200) from `ssrc` followed by `extraWords` words of filler.
    static func rtcpPacket(ssrc: UInt32, extraWords: Int = 6, seed: UInt8 = 0) -> [UInt8] {
        let words = 1 + extraWords
        var packet: [UInt8] = [0x80, 200, UInt8(words >> 8), UInt8(truncatingIfNeeded: words)]
        packet += bigEndian(ssrc)
        for index in 0..<(4 * extraWords) { packet.append(UInt8(truncatingIfNeeded: index &+ Int(seed))) }
        return packet
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [
            UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value),
        ]
    }

    static func masterKey(_ suite: SrtpCryptoSuite, seed: UInt8 = 1) -> SrtpMasterKey {
        try! SrtpMasterKey(
            suite: suite,
            keyAndSalt: (0..<suite.masterKeyAndSaltLength).map {
                UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0 &* 13)
            })
    }

    /// Protects a copy of `packet` in a buffer with exactly the suite's trailer room (or
    /// `room` bytes), returning the protected bytes.
    static func protectRtp(_ transform: SrtpTransform, _ packet: [UInt8], room: Int? = nil) -> Result<
        [UInt8], SrtpError
    > {
        run(transform, packet, room: room ?? transform.suite.rtpTrailerLength) { transform.protectRtp($0, length: $1) }
    }

    static func unprotectRtp(_ transform: SrtpTransform, _ packet: [UInt8]) -> Result<[UInt8], SrtpError> {
        run(transform, packet, room: 0) { transform.unprotectRtp($0, length: $1) }
    }

    static func protectRtcp(_ transform: SrtpTransform, _ packet: [UInt8], room: Int? = nil) -> Result<
        [UInt8], SrtpError
    > {
        run(transform, packet, room: room ?? transform.suite.rtcpTrailerLength) {
            transform.protectRtcp($0, length: $1)
        }
    }

    static func unprotectRtcp(_ transform: SrtpTransform, _ packet: [UInt8]) -> Result<[UInt8], SrtpError> {
        run(transform, packet, room: 0) { transform.unprotectRtcp($0, length: $1) }
    }

    /// Runs an in-place operation on a copy of `packet`; on failure also checks the bytes were
    /// left untouched — except by libsrtp with AEAD, which decrypts before checking the tag.
    private static func run(
        _ transform: SrtpTransform, _ packet: [UInt8], room: Int,
        _ operation: (UnsafeMutableRawBufferPointer, Int) -> SrtpResult
    ) -> Result<[UInt8], SrtpError> {
        var storage = packet + [UInt8](repeating: 0, count: room)
        let result = storage.withUnsafeMutableBytes { operation($0, packet.count) }
        switch result {
        case .success(let length):
            return .success(Array(storage[..<length]))
        case .failure(let error):
            let mayModify = transform.suite.isAead && (transform as? SrtpSession)?.backend == .libsrtp
            if !mayModify, Array(storage[..<packet.count]) != packet {
                XCTFail("a failed SRTP operation (\(error)) modified the packet")
            }
            return .failure(error)
        }
    }
}

extension Result {
    /// The success value, or nil (keeps test assertions one line).
    var srtpSuccess: Success? {
        if case .success(let value) = self { return value }
        return nil
    }

    var srtpFailure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
