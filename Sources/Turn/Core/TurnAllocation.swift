import NIOCore
import STUN

/// One TURN allocation (RFC 8656 §2.2) with its permissions and channel bindings.
/// Times are Unix seconds. Owned by the core of one event loop.
final class TurnAllocation {
    let relayID: RelayID
    let fiveTuple: FiveTuple
    let username: String
    let key: StunIntegrityKey
    /// The address put in XOR-RELAYED-ADDRESS (the announced IP and the bound port).
    let relayedAddress: StunAddress
    let relayFamily: StunAddress.Family
    var expiry: Int
    /// Peer IP → expiry.
    var permissions: [PeerIP: Int] = [:]
    var channelsByNumber: [UInt16: ChannelBinding] = [:]
    var channelsByPeer: [SocketAddress: UInt16] = [:]
    /// The Allocate transaction and its success response, resent on a retransmitted request.
    let allocateTransaction: StunTransactionID
    var allocateResponse: ByteBuffer
    /// The bandwidth cap's count of each direction.
    var toPeerBandwidth = RelayBandwidthLimit()
    var toClientBandwidth = RelayBandwidthLimit()

    struct ChannelBinding {
        let peer: SocketAddress
        let peerIP: PeerIP
        var expiry: Int
    }

    init(
        relayID: RelayID, fiveTuple: FiveTuple, username: String, key: StunIntegrityKey,
        relayedAddress: StunAddress, expiry: Int, allocateTransaction: StunTransactionID
    ) {
        self.relayID = relayID
        self.fiveTuple = fiveTuple
        self.username = username
        self.key = key
        self.relayedAddress = relayedAddress
        self.relayFamily = relayedAddress.family
        self.expiry = expiry
        self.allocateTransaction = allocateTransaction
        self.allocateResponse = ByteBuffer()
    }

    func hasPermission(for peerIP: PeerIP, now: Int) -> Bool {
        (permissions[peerIP] ?? 0) > now
    }
}
