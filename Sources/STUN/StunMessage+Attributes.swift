import NIOCore

/// Typed access to the attributes servers look at. Each returns the first occurrence, as
/// RFC 8489 §14 says receivers should, except ``xorPeerAddresses``, which TURN lets repeat.
extension StunMessage {
    public var username: String? {
        self.firstValue { if case .username(let value) = $0 { value } else { nil } }
    }

    public var realm: String? {
        self.firstValue { if case .realm(let value) = $0 { value } else { nil } }
    }

    public var nonce: String? {
        self.firstValue { if case .nonce(let value) = $0 { value } else { nil } }
    }

    public var software: String? {
        self.firstValue { if case .software(let value) = $0 { value } else { nil } }
    }

    public var userhash: [UInt8]? {
        self.firstValue { if case .userhash(let value) = $0 { value } else { nil } }
    }

    public var passwordAlgorithm: StunPasswordAlgorithm? {
        self.firstValue { if case .passwordAlgorithm(let value) = $0 { value } else { nil } }
    }

    public var errorCode: StunErrorCode? {
        self.firstValue { if case .errorCode(let value) = $0 { value } else { nil } }
    }

    public var xorMappedAddress: StunAddress? {
        self.firstValue { if case .xorMappedAddress(let value) = $0 { value } else { nil } }
    }

    public var xorRelayedAddress: StunAddress? {
        self.firstValue { if case .xorRelayedAddress(let value) = $0 { value } else { nil } }
    }

    /// All XOR-PEER-ADDRESS values in order; CreatePermission may carry several.
    public var xorPeerAddresses: [StunAddress] {
        self.attributes.compactMap { if case .xorPeerAddress(let value) = $0 { value } else { nil } }
    }

    /// The first XOR-PEER-ADDRESS: the one a Send indication names.
    public var xorPeerAddress: StunAddress? {
        self.firstValue { if case .xorPeerAddress(let value) = $0 { value } else { nil } }
    }

    public var data: ByteBuffer? {
        self.firstValue { if case .data(let value) = $0 { value } else { nil } }
    }

    public var lifetime: UInt32? {
        self.firstValue { if case .lifetime(let value) = $0 { value } else { nil } }
    }

    public var channelNumber: UInt16? {
        self.firstValue { if case .channelNumber(let value) = $0 { value } else { nil } }
    }

    public var requestedTransport: UInt8? {
        self.firstValue { if case .requestedTransport(let value) = $0 { value } else { nil } }
    }

    public var requestedAddressFamily: StunAddress.Family? {
        self.firstValue { if case .requestedAddressFamily(let value) = $0 { value } else { nil } }
    }

    public var additionalAddressFamily: StunAddress.Family? {
        self.firstValue { if case .additionalAddressFamily(let value) = $0 { value } else { nil } }
    }

    /// Nil without EVEN-PORT; otherwise its R flag.
    public var evenPortReservesNextPort: Bool? {
        self.firstValue { if case .evenPort(let value) = $0 { value } else { nil } }
    }

    public var reservationToken: UInt64? {
        self.firstValue { if case .reservationToken(let value) = $0 { value } else { nil } }
    }

    public var dontFragment: Bool {
        self.attributes.contains(.dontFragment)
    }

    public var priority: UInt32? {
        self.firstValue { if case .priority(let value) = $0 { value } else { nil } }
    }

    public var useCandidate: Bool {
        self.attributes.contains(.useCandidate)
    }

    public var iceControlling: UInt64? {
        self.firstValue { if case .iceControlling(let value) = $0 { value } else { nil } }
    }

    public var iceControlled: UInt64? {
        self.firstValue { if case .iceControlled(let value) = $0 { value } else { nil } }
    }

    /// Comprehension-required attribute types (below 0x8000) this module could not decode.
    /// A server answers a request that has any with 420 and `.unknownAttributes(these)`
    /// (RFC 8489 §6.3.1); for other classes the message is dropped.
    public var unknownComprehensionRequiredAttributes: [StunAttributeType] {
        self.attributes.compactMap(\.unknownComprehensionRequiredType)
    }

    /// Whether there is any (an indication that has one is dropped, RFC 8489 §6.3.3); no array
    /// is built, as the relay path asks for every Send indication.
    public var hasUnknownComprehensionRequiredAttributes: Bool {
        self.attributes.contains { $0.unknownComprehensionRequiredType != nil }
    }

    private func firstValue<Value>(_ extract: (StunAttribute) -> Value?) -> Value? {
        for attribute in self.attributes {
            if let value = extract(attribute) { return value }
        }
        return nil
    }
}

extension StunAttribute {
    /// The type of an attribute this module could not decode, when it is comprehension-required.
    fileprivate var unknownComprehensionRequiredType: StunAttributeType? {
        if case .unknown(let type, _) = self, type.isComprehensionRequired { type } else { nil }
    }
}
