/// The 13-byte header in front of every DTLS 1.0/1.2 record (RFC 6347 §4.1):
/// content type (1), version (2), epoch (2), sequence number (6), fragment length (2).
///
/// Used to check a datagram's framing before OpenSSL sees it, so garbage is dropped and counted
/// rather than silently discarded inside OpenSSL, and to pack outgoing records into datagrams.
enum DtlsRecordHeader {
    static let length = 13

    /// change_cipher_spec, alert, handshake, application_data, heartbeat. (tls12_cid, 25, has
    /// a different header layout and OpenSSL 3.0 does not speak it.)
    static let contentTypes: ClosedRange<UInt8> = 20...24

    /// Major version byte of DTLS 1.0 (0xFEFF) and DTLS 1.2 (0xFEFD).
    static let versionMajor: UInt8 = 0xFE

    /// The length, header included, of the well-formed record starting at `offset`, or `nil`
    /// when the bytes there are not one (bad type or version, or a record running past the end).
    static func recordLength(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard bytes.count - offset >= length,
            contentTypes.contains(bytes[offset]),
            bytes[offset + 1] == versionMajor
        else { return nil }
        let fragmentLength = Int(bytes[offset + 11]) << 8 | Int(bytes[offset + 12])
        let total = length + fragmentLength
        return total <= bytes.count - offset ? total : nil
    }

    /// Whether `bytes` consists of one or more whole, well-formed records and nothing else.
    static func isWellFormedDatagram(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard let recordLength = recordLength(in: bytes, at: offset) else { return false }
            offset += recordLength
        }
        return offset > 0
    }
}
